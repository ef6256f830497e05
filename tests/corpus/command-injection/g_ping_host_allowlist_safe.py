# ping_host (django-get, direct): the value is checked against an allow-list first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import os

ALLOWED_HOSTS = frozenset({"alpha", "beta", "main"})

def ping_host(request):
    host = request.GET.get("host", "")
    if host not in ALLOWED_HOSTS:
        raise ValueError("unsupported host")
    os.system("ping -c 1 " + host)
    return JsonResponse({"status": "ok"})
