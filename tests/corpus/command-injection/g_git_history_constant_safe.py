# git_history (django-kwarg, class): the request value is always replaced by a constant before use: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import subprocess

DEFAULT_BRANCH = "localhost"

class GitHistoryRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def git_history(request, branch):
    # The client-supplied branch is no longer honoured; the default always applies.
    branch = DEFAULT_BRANCH
    req = GitHistoryRequest(branch)
    proc = subprocess.Popen("git log --oneline {}".format(req.value), shell=True, stdout=subprocess.PIPE)
    out, _ = proc.communicate()
    return JsonResponse({"status": "ok"})
