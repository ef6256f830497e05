# link_preview (django-get, dict): only a constant element of the container reaches the sink: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import requests


def link_preview(request):
    url = request.GET.get("url", "")
    options = {"url": url, "page_size": "50"}
    resp = requests.get(options["page_size"], timeout=5)
    preview = resp.text[:200]
    return JsonResponse({"status": "ok"})
