# git_history (django-kwarg, dict): only a constant element of the container reaches the sink: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import subprocess


def git_history(request, branch):
    options = {"branch": branch, "page_size": "50"}
    proc = subprocess.Popen("git log --oneline {}".format(options["page_size"]), shell=True, stdout=subprocess.PIPE)
    out, _ = proc.communicate()
    return JsonResponse({"status": "ok"})
