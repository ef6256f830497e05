# show_note (django-get, class): the request value is always replaced by a constant before use: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from django.http import HttpResponse

DEFAULT_NOTE = "default"

class ShowNoteRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def show_note(request):
    note = request.GET.get("note", "")
    # The client-supplied note is no longer honoured; the default always applies.
    note = DEFAULT_NOTE
    req = ShowNoteRequest(note)
    return HttpResponse("<div class='note'>{}</div>".format(req.value))
