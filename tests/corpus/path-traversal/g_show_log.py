# show_log (django-post, class): untrusted request data reaches the sink
# expect: mamori:python/path-traversal line=16
from django.http import HttpResponse, JsonResponse
import io


class ShowLogRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def show_log(request):
    service = request.POST["service"]
    req = ShowLogRequest(service)
    with io.open(f"/var/log/app/{req.value}.log", encoding="utf-8") as fh:
        tail = fh.readlines()[-20:]
    return JsonResponse({"status": "ok"})
