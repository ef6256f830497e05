# read_report (django-kwarg, helper): the value is sanitised for this sink first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from pathlib import Path
import os


def read_report_job(value):
    REPORTS = Path("/srv/reports")
    text = (REPORTS / value).read_text()


def read_report(request, report):
    report = os.path.basename(report)
    read_report_job(report)
    return JsonResponse({"status": "ok"})
