# fetch_avatar (django-kwarg, class): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/ssrf line=18
from django.http import HttpResponse, JsonResponse
import requests
import html


class FetchAvatarRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def fetch_avatar(request, server):
    server = html.escape(server)
    req = FetchAvatarRequest(server)
    session = requests.Session()
    avatar = session.get("http://%s/avatar.png" % req.value, timeout=3).content
    return JsonResponse({"status": "ok"})
