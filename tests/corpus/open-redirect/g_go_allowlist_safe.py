# go (django-get, class): the value is checked against an allow-list first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from django.http import HttpResponseRedirect

ALLOWED_URLS = frozenset({"alpha", "beta", "main"})

class GoRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def go(request):
    url = request.GET.get("url", "")
    if url not in ALLOWED_URLS:
        raise ValueError("unsupported url")
    req = GoRequest(url)
    return HttpResponseRedirect(req.value)
