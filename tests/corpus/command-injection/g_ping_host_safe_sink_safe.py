# ping_host (django-get, direct): the same data goes through the safe form of the API: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import os
import subprocess


def ping_host(request):
    host = request.GET.get("host", "")
    subprocess.run(["ping", "-c", "1", host], check=False)
    return JsonResponse({"status": "ok"})
