# Django views: the feedback list is escaped where it is rendered.
# expect: none
from django.http import HttpResponse
from django.utils.html import escape
from django.views.decorators.http import require_POST

FEEDBACK = []


@require_POST
def submit_feedback(request):
    FEEDBACK.append(request.POST.get("message", ""))
    return HttpResponse(status=204)


def feedback_list(request):
    rows = "".join("<p>%s</p>" % escape(m) for m in FEEDBACK)
    return HttpResponse(rows)
