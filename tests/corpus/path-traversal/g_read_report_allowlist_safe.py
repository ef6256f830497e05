# read_report (django-kwarg, helper): the value is checked against an allow-list first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from pathlib import Path

ALLOWED_REPORTS = frozenset({"alpha", "beta", "main"})

def read_report_job(value):
    REPORTS = Path("/srv/reports")
    text = (REPORTS / value).read_text()


def read_report(request, report):
    if report not in ALLOWED_REPORTS:
        raise ValueError("unsupported report")
    read_report_job(report)
    return JsonResponse({"status": "ok"})
