# Django views: feedback kept in a module-level list and listed by another view.
# expect: mamori:python/xss line=17
from django.http import HttpResponse
from django.views.decorators.http import require_POST

FEEDBACK = []


@require_POST
def submit_feedback(request):
    FEEDBACK.append(request.POST.get("message", ""))
    return HttpResponse(status=204)


def feedback_list(request):
    rows = "".join("<p>%s</p>" % m for m in FEEDBACK)
    return HttpResponse(rows)
