# go (django-get, class): the request value is always replaced by a constant before use: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from django.http import HttpResponseRedirect

DEFAULT_URL = "default"

class GoRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def go(request):
    url = request.GET.get("url", "")
    # The client-supplied url is no longer honoured; the default always applies.
    url = DEFAULT_URL
    req = GoRequest(url)
    return HttpResponseRedirect(req.value)
