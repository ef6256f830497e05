# load_plugin (django-post, class): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/code-injection line=18
from django.http import HttpResponse, JsonResponse
import importlib
import html


class LoadPluginRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def load_plugin(request):
    plugin = request.POST["plugin"]
    plugin = html.escape(plugin)
    req = LoadPluginRequest(plugin)
    plugin = importlib.import_module(req.value)
    result = plugin.__name__
    return JsonResponse({"status": "ok"})
