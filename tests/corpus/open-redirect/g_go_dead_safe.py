# go (django-get, class): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from django.http import HttpResponseRedirect

LEGACY_MODE = False
FALLBACK = "fallback"

class GoRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def go(request):
    url = request.GET.get("url", "")
    req = GoRequest(url)
    if LEGACY_MODE:
        return HttpResponseRedirect(req.value)
    else:
        return HttpResponseRedirect(FALLBACK)
