# load_plugin (django-post, class): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import importlib

LEGACY_MODE = False
FALLBACK = "fallback"

class LoadPluginRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def load_plugin(request):
    plugin = request.POST["plugin"]
    req = LoadPluginRequest(plugin)
    if LEGACY_MODE:
        plugin = importlib.import_module(req.value)
        result = plugin.__name__
    else:
        plugin = importlib.import_module(FALLBACK)
        result = plugin.__name__
    return JsonResponse({"status": "ok"})
