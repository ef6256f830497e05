# load_plugin (django-post, class): the value is checked against an allow-list first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import importlib

ALLOWED_PLUGINS = frozenset({"alpha", "beta", "main"})

class LoadPluginRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def load_plugin(request):
    plugin = request.POST["plugin"]
    if plugin not in ALLOWED_PLUGINS:
        raise ValueError("unsupported plugin")
    req = LoadPluginRequest(plugin)
    plugin = importlib.import_module(req.value)
    result = plugin.__name__
    return JsonResponse({"status": "ok"})
