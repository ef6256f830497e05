# go (django-get, class): untrusted request data reaches the sink
# expect: mamori:python/open-redirect line=16
from django.http import HttpResponse, JsonResponse
from django.http import HttpResponseRedirect


class GoRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def go(request):
    url = request.GET.get("url", "")
    req = GoRequest(url)
    return HttpResponseRedirect(req.value)
