# git_history (django-kwarg, class): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import subprocess

LEGACY_MODE = False
FALLBACK = "fallback"

class GitHistoryRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def git_history(request, branch):
    req = GitHistoryRequest(branch)
    if LEGACY_MODE:
        proc = subprocess.Popen("git log --oneline {}".format(req.value), shell=True, stdout=subprocess.PIPE)
        out, _ = proc.communicate()
    else:
        proc = subprocess.Popen("git log --oneline {}".format(FALLBACK), shell=True, stdout=subprocess.PIPE)
        out, _ = proc.communicate()
    return JsonResponse({"status": "ok"})
