# ping_host (django-get, dict): only a constant element of the container reaches the sink: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import os


def ping_host(request):
    host = request.GET.get("host", "")
    options = {"host": host, "page_size": "50"}
    os.system("ping -c 1 " + options["page_size"])
    return JsonResponse({"status": "ok"})
