# restore_cart (django-kwarg, dict): only a constant element of the container reaches the sink: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import jsonpickle


def restore_cart(request, cart):
    options = {"cart": cart, "page_size": "50"}
    cart = jsonpickle.decode(options["page_size"])
    return JsonResponse({"status": "ok"})
