# load_plugin (django-post, class): untrusted request data reaches the sink
# expect: mamori:python/code-injection line=16
from django.http import HttpResponse, JsonResponse
import importlib


class LoadPluginRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def load_plugin(request):
    plugin = request.POST["plugin"]
    req = LoadPluginRequest(plugin)
    plugin = importlib.import_module(req.value)
    result = plugin.__name__
    return JsonResponse({"status": "ok"})
