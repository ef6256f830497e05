# show_note (django-get, class): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from django.http import HttpResponse

LEGACY_MODE = False
FALLBACK = "fallback"

class ShowNoteRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def show_note(request):
    note = request.GET.get("note", "")
    req = ShowNoteRequest(note)
    if LEGACY_MODE:
        return HttpResponse("<div class='note'>{}</div>".format(req.value))
    else:
        return HttpResponse("<div class='note'>{}</div>".format(FALLBACK))
