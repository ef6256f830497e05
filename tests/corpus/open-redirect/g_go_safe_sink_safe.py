# go (django-get, class): the same data goes through the safe form of the API: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from django.http import HttpResponseRedirect


class GoRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def go(request):
    url = request.GET.get("url", "")
    req = GoRequest(url)
    return HttpResponseRedirect(f"/orders/{req.value}/")
