# ping_host (django-get, direct): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/command-injection line=11
from django.http import HttpResponse, JsonResponse
import os
import html


def ping_host(request):
    host = request.GET.get("host", "")
    host = html.escape(host)
    os.system("ping -c 1 " + host)
    return JsonResponse({"status": "ok"})
