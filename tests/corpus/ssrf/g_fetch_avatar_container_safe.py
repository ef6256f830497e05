# fetch_avatar (django-kwarg, dict): only a constant element of the container reaches the sink: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import requests


def fetch_avatar(request, server):
    options = {"server": server, "page_size": "50"}
    session = requests.Session()
    avatar = session.get("http://%s/avatar.png" % options["page_size"], timeout=3).content
    return JsonResponse({"status": "ok"})
