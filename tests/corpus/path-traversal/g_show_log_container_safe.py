# show_log (django-post, dict): only a constant element of the container reaches the sink: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import io


def show_log(request):
    service = request.POST["service"]
    options = {"service": service, "page_size": "50"}
    with io.open(f"/var/log/app/{options["page_size"]}.log", encoding="utf-8") as fh:
        tail = fh.readlines()[-20:]
    return JsonResponse({"status": "ok"})
