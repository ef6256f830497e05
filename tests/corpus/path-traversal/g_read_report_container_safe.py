# read_report (django-kwarg, dict): only a constant element of the container reaches the sink: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from pathlib import Path


def read_report(request, report):
    options = {"report": report, "page_size": "50"}
    REPORTS = Path("/srv/reports")
    text = (REPORTS / options["page_size"]).read_text()
    return JsonResponse({"status": "ok"})
