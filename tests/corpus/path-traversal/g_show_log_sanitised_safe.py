# show_log (django-post, class): the value is sanitised for this sink first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import io
import os


class ShowLogRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def show_log(request):
    service = request.POST["service"]
    service = os.path.basename(service)
    req = ShowLogRequest(service)
    with io.open(f"/var/log/app/{req.value}.log", encoding="utf-8") as fh:
        tail = fh.readlines()[-20:]
    return JsonResponse({"status": "ok"})
