# ping_host (django-get, direct): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import os

LEGACY_MODE = False
FALLBACK = "fallback"

def ping_host(request):
    host = request.GET.get("host", "")
    if LEGACY_MODE:
        os.system("ping -c 1 " + host)
    else:
        os.system("ping -c 1 " + FALLBACK)
    return JsonResponse({"status": "ok"})
