# restore_cart (django-kwarg, strip): untrusted request data reaches the sink
# expect: mamori:python/unsafe-deserialization line=9
from django.http import HttpResponse, JsonResponse
import jsonpickle


def restore_cart(request, cart):
    cart = cart.strip()
    cart = jsonpickle.decode(cart)
    return JsonResponse({"status": "ok"})
