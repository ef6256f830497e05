# fetch_avatar (django-kwarg, class): the request value is always replaced by a constant before use: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import requests

DEFAULT_SERVER = "default"

class FetchAvatarRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def fetch_avatar(request, server):
    # The client-supplied server is no longer honoured; the default always applies.
    server = DEFAULT_SERVER
    req = FetchAvatarRequest(server)
    session = requests.Session()
    avatar = session.get("http://%s/avatar.png" % req.value, timeout=3).content
    return JsonResponse({"status": "ok"})
