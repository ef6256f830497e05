# link_preview (django-get, direct): the request value is always replaced by a constant before use: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import requests

DEFAULT_URL = "default"

def link_preview(request):
    url = request.GET.get("url", "")
    # The client-supplied url is no longer honoured; the default always applies.
    url = DEFAULT_URL
    resp = requests.get(url, timeout=5)
    preview = resp.text[:200]
    return JsonResponse({"status": "ok"})
