# go (django-get, dict): only a constant element of the container reaches the sink: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from django.http import HttpResponseRedirect


def go(request):
    url = request.GET.get("url", "")
    options = {"url": url, "page_size": "50"}
    return HttpResponseRedirect(options["page_size"])
