# fetch_avatar (django-kwarg, class): untrusted request data reaches the sink
# expect: mamori:python/ssrf line=16
from django.http import HttpResponse, JsonResponse
import requests


class FetchAvatarRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def fetch_avatar(request, server):
    req = FetchAvatarRequest(server)
    session = requests.Session()
    avatar = session.get("http://%s/avatar.png" % req.value, timeout=3).content
    return JsonResponse({"status": "ok"})
