# load_plugin (django-post, class): the same data goes through the safe form of the API: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import importlib


class LoadPluginRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def load_plugin(request):
    plugin = request.POST["plugin"]
    req = LoadPluginRequest(plugin)
    PLUGINS = {"csv": "plugins.csv", "pdf": "plugins.pdf"}
    result = PLUGINS.get(req.value, "plugins.csv")
    return JsonResponse({"status": "ok"})
