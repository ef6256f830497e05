# show_log (django-post, class): the value is checked against an allow-list first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import io

ALLOWED_SERVICES = frozenset({"alpha", "beta", "main"})

class ShowLogRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def show_log(request):
    service = request.POST["service"]
    if service not in ALLOWED_SERVICES:
        raise ValueError("unsupported service")
    req = ShowLogRequest(service)
    with io.open(f"/var/log/app/{req.value}.log", encoding="utf-8") as fh:
        tail = fh.readlines()[-20:]
    return JsonResponse({"status": "ok"})
