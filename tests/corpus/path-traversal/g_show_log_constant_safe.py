# show_log (django-post, class): the request value is always replaced by a constant before use: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import io

DEFAULT_SERVICE = "default"

class ShowLogRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def show_log(request):
    service = request.POST["service"]
    # The client-supplied service is no longer honoured; the default always applies.
    service = DEFAULT_SERVICE
    req = ShowLogRequest(service)
    with io.open(f"/var/log/app/{req.value}.log", encoding="utf-8") as fh:
        tail = fh.readlines()[-20:]
    return JsonResponse({"status": "ok"})
