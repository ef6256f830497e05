# link_preview (django-get, direct): untrusted request data reaches the sink
# expect: mamori:python/ssrf line=9
from django.http import HttpResponse, JsonResponse
import requests


def link_preview(request):
    url = request.GET.get("url", "")
    resp = requests.get(url, timeout=5)
    preview = resp.text[:200]
    return JsonResponse({"status": "ok"})
