# link_preview (django-get, direct): the value is checked against an allow-list first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import requests

ALLOWED_URLS = frozenset({"alpha", "beta", "main"})

def link_preview(request):
    url = request.GET.get("url", "")
    if url not in ALLOWED_URLS:
        raise ValueError("unsupported url")
    resp = requests.get(url, timeout=5)
    preview = resp.text[:200]
    return JsonResponse({"status": "ok"})
