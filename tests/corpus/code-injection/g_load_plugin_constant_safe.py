# load_plugin (django-post, class): the request value is always replaced by a constant before use: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import importlib

DEFAULT_PLUGIN = "default"

class LoadPluginRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def load_plugin(request):
    plugin = request.POST["plugin"]
    # The client-supplied plugin is no longer honoured; the default always applies.
    plugin = DEFAULT_PLUGIN
    req = LoadPluginRequest(plugin)
    plugin = importlib.import_module(req.value)
    result = plugin.__name__
    return JsonResponse({"status": "ok"})
