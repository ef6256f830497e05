# git_history (django-kwarg, class): the value is checked against an allow-list first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import subprocess

ALLOWED_BRANCHS = frozenset({"alpha", "beta", "main"})

class GitHistoryRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def git_history(request, branch):
    if branch not in ALLOWED_BRANCHS:
        raise ValueError("unsupported branch")
    req = GitHistoryRequest(branch)
    proc = subprocess.Popen("git log --oneline {}".format(req.value), shell=True, stdout=subprocess.PIPE)
    out, _ = proc.communicate()
    return JsonResponse({"status": "ok"})
