# read_report (django-kwarg, helper): the request value is always replaced by a constant before use: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from pathlib import Path

DEFAULT_REPORT = "default"

def read_report_job(value):
    REPORTS = Path("/srv/reports")
    text = (REPORTS / value).read_text()


def read_report(request, report):
    # The client-supplied report is no longer honoured; the default always applies.
    report = DEFAULT_REPORT
    read_report_job(report)
    return JsonResponse({"status": "ok"})
