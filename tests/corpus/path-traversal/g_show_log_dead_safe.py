# show_log (django-post, class): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import io

LEGACY_MODE = False
FALLBACK = "fallback"

class ShowLogRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def show_log(request):
    service = request.POST["service"]
    req = ShowLogRequest(service)
    if LEGACY_MODE:
        with io.open(f"/var/log/app/{req.value}.log", encoding="utf-8") as fh:
            tail = fh.readlines()[-20:]
    else:
        with io.open(f"/var/log/app/{FALLBACK}.log", encoding="utf-8") as fh:
            tail = fh.readlines()[-20:]
    return JsonResponse({"status": "ok"})
