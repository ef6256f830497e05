# git_history (django-kwarg, class): the same data goes through the safe form of the API: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import subprocess


class GitHistoryRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def git_history(request, branch):
    req = GitHistoryRequest(branch)
    proc = subprocess.Popen(["git", "log", "--oneline", req.value], stdout=subprocess.PIPE)
    out, _ = proc.communicate()
    return JsonResponse({"status": "ok"})
