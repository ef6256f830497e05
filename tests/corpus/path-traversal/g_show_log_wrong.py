# show_log (django-post, class): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/path-traversal line=18
from django.http import HttpResponse, JsonResponse
import io
import shlex


class ShowLogRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def show_log(request):
    service = request.POST["service"]
    service = shlex.quote(service)
    req = ShowLogRequest(service)
    with io.open(f"/var/log/app/{req.value}.log", encoding="utf-8") as fh:
        tail = fh.readlines()[-20:]
    return JsonResponse({"status": "ok"})
