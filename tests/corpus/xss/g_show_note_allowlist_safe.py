# show_note (django-get, class): the value is checked against an allow-list first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from django.http import HttpResponse

ALLOWED_NOTES = frozenset({"alpha", "beta", "main"})

class ShowNoteRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def show_note(request):
    note = request.GET.get("note", "")
    if note not in ALLOWED_NOTES:
        raise ValueError("unsupported note")
    req = ShowNoteRequest(note)
    return HttpResponse("<div class='note'>{}</div>".format(req.value))
