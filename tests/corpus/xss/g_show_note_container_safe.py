# show_note (django-get, dict): only a constant element of the container reaches the sink: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from django.http import HttpResponse


def show_note(request):
    note = request.GET.get("note", "")
    options = {"note": note, "page_size": "50"}
    return HttpResponse("<div class='note'>{}</div>".format(options["page_size"]))
