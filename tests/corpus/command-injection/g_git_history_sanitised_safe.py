# git_history (django-kwarg, class): the value is sanitised for this sink first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import subprocess
import shlex


class GitHistoryRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def git_history(request, branch):
    branch = shlex.quote(branch)
    req = GitHistoryRequest(branch)
    proc = subprocess.Popen("git log --oneline {}".format(req.value), shell=True, stdout=subprocess.PIPE)
    out, _ = proc.communicate()
    return JsonResponse({"status": "ok"})
