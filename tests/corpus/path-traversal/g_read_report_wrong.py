# read_report (django-kwarg, helper): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/path-traversal line=10
from django.http import HttpResponse, JsonResponse
from pathlib import Path
import shlex


def read_report_job(value):
    REPORTS = Path("/srv/reports")
    text = (REPORTS / value).read_text()


def read_report(request, report):
    report = shlex.quote(report)
    read_report_job(report)
    return JsonResponse({"status": "ok"})
