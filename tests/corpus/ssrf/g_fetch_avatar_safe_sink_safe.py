# fetch_avatar (django-kwarg, class): the same data goes through the safe form of the API: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import requests


class FetchAvatarRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def fetch_avatar(request, server):
    req = FetchAvatarRequest(server)
    session = requests.Session()
    avatar = session.get("https://cdn.example.com/avatars/%s.png" % req.value, timeout=3).content
    return JsonResponse({"status": "ok"})
