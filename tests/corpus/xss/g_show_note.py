# show_note (django-get, class): untrusted request data reaches the sink
# expect: mamori:python/xss line=16
from django.http import HttpResponse, JsonResponse
from django.http import HttpResponse


class ShowNoteRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def show_note(request):
    note = request.GET.get("note", "")
    req = ShowNoteRequest(note)
    return HttpResponse("<div class='note'>{}</div>".format(req.value))
