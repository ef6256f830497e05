# show_note (django-get, class): the same data goes through the safe form of the API: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from django.http import HttpResponse
from django.http import JsonResponse


class ShowNoteRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def show_note(request):
    note = request.GET.get("note", "")
    req = ShowNoteRequest(note)
    return JsonResponse({"note": req.value})
