# load_plugin (django-post, dict): only a constant element of the container reaches the sink: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import importlib


def load_plugin(request):
    plugin = request.POST["plugin"]
    options = {"plugin": plugin, "page_size": "50"}
    plugin = importlib.import_module(options["page_size"])
    result = plugin.__name__
    return JsonResponse({"status": "ok"})
