# git_history (django-kwarg, class): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/command-injection line=17
from django.http import HttpResponse, JsonResponse
import subprocess
import html


class GitHistoryRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def git_history(request, branch):
    branch = html.escape(branch)
    req = GitHistoryRequest(branch)
    proc = subprocess.Popen("git log --oneline {}".format(req.value), shell=True, stdout=subprocess.PIPE)
    out, _ = proc.communicate()
    return JsonResponse({"status": "ok"})
