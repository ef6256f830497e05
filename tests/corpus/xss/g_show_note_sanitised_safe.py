# show_note (django-get, class): the value is sanitised for this sink first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from django.http import HttpResponse
import html


class ShowNoteRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def show_note(request):
    note = request.GET.get("note", "")
    note = html.escape(note)
    req = ShowNoteRequest(note)
    return HttpResponse("<div class='note'>{}</div>".format(req.value))
