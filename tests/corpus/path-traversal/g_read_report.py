# read_report (django-kwarg, helper): untrusted request data reaches the sink
# expect: mamori:python/path-traversal line=9
from django.http import HttpResponse, JsonResponse
from pathlib import Path


def read_report_job(value):
    REPORTS = Path("/srv/reports")
    text = (REPORTS / value).read_text()


def read_report(request, report):
    read_report_job(report)
    return JsonResponse({"status": "ok"})
