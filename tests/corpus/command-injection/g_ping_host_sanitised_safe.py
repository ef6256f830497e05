# ping_host (django-get, direct): the value is sanitised for this sink first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import os
import shlex


def ping_host(request):
    host = request.GET.get("host", "")
    host = shlex.quote(host)
    os.system("ping -c 1 " + host)
    return JsonResponse({"status": "ok"})
