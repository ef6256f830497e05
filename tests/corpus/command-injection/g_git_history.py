# git_history (django-kwarg, class): untrusted request data reaches the sink
# expect: mamori:python/command-injection line=15
from django.http import HttpResponse, JsonResponse
import subprocess


class GitHistoryRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def git_history(request, branch):
    req = GitHistoryRequest(branch)
    proc = subprocess.Popen("git log --oneline {}".format(req.value), shell=True, stdout=subprocess.PIPE)
    out, _ = proc.communicate()
    return JsonResponse({"status": "ok"})
