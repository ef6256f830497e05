# go (django-get, class): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/open-redirect line=18
from django.http import HttpResponse, JsonResponse
from django.http import HttpResponseRedirect
import html


class GoRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def go(request):
    url = request.GET.get("url", "")
    url = html.escape(url)
    req = GoRequest(url)
    return HttpResponseRedirect(req.value)
