# fetch_avatar (django-kwarg, class): the value is checked against an allow-list first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import requests

ALLOWED_SERVERS = frozenset({"alpha", "beta", "main"})

class FetchAvatarRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def fetch_avatar(request, server):
    if server not in ALLOWED_SERVERS:
        raise ValueError("unsupported server")
    req = FetchAvatarRequest(server)
    session = requests.Session()
    avatar = session.get("http://%s/avatar.png" % req.value, timeout=3).content
    return JsonResponse({"status": "ok"})
