# link_preview (django-get, direct): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/ssrf line=11
from django.http import HttpResponse, JsonResponse
import requests
import html


def link_preview(request):
    url = request.GET.get("url", "")
    url = html.escape(url)
    resp = requests.get(url, timeout=5)
    preview = resp.text[:200]
    return JsonResponse({"status": "ok"})
