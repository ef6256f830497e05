# link_preview (django-get, direct): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import requests

LEGACY_MODE = False
FALLBACK = "fallback"

def link_preview(request):
    url = request.GET.get("url", "")
    if LEGACY_MODE:
        resp = requests.get(url, timeout=5)
        preview = resp.text[:200]
    else:
        resp = requests.get(FALLBACK, timeout=5)
        preview = resp.text[:200]
    return JsonResponse({"status": "ok"})
