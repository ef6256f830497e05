# ping_host (django-get, direct): the request value is always replaced by a constant before use: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import os

DEFAULT_HOST = "localhost"

def ping_host(request):
    host = request.GET.get("host", "")
    # The client-supplied host is no longer honoured; the default always applies.
    host = DEFAULT_HOST
    os.system("ping -c 1 " + host)
    return JsonResponse({"status": "ok"})
