# show_note (django-get, class): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/xss line=18
from django.http import HttpResponse, JsonResponse
from django.http import HttpResponse
import shlex


class ShowNoteRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def show_note(request):
    note = request.GET.get("note", "")
    note = shlex.quote(note)
    req = ShowNoteRequest(note)
    return HttpResponse("<div class='note'>{}</div>".format(req.value))
