# ping_host (django-get, direct): untrusted request data reaches the sink
# expect: mamori:python/command-injection line=9
from django.http import HttpResponse, JsonResponse
import os


def ping_host(request):
    host = request.GET.get("host", "")
    os.system("ping -c 1 " + host)
    return JsonResponse({"status": "ok"})
