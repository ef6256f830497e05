# read_report (django-kwarg, helper): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from pathlib import Path

LEGACY_MODE = False
FALLBACK = "fallback"

def read_report_job(value):
    REPORTS = Path("/srv/reports")
    text = (REPORTS / value).read_text()


def read_report(request, report):
    if LEGACY_MODE:
        read_report_job(report)
    else:
        read_report_job(FALLBACK)
    return JsonResponse({"status": "ok"})
