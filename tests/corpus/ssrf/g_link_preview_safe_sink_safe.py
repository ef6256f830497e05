# link_preview (django-get, direct): the same data goes through the safe form of the API: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import requests


def link_preview(request):
    url = request.GET.get("url", "")
    resp = requests.get("https://api.partner.example/preview", params={"url": url}, timeout=5)
    preview = resp.text[:200]
    return JsonResponse({"status": "ok"})
