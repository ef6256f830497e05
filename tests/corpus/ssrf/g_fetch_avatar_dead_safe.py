# fetch_avatar (django-kwarg, class): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import requests

LEGACY_MODE = False
FALLBACK = "fallback"

class FetchAvatarRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def fetch_avatar(request, server):
    req = FetchAvatarRequest(server)
    if LEGACY_MODE:
        session = requests.Session()
        avatar = session.get("http://%s/avatar.png" % req.value, timeout=3).content
    else:
        session = requests.Session()
        avatar = session.get("http://%s/avatar.png" % FALLBACK, timeout=3).content
    return JsonResponse({"status": "ok"})
