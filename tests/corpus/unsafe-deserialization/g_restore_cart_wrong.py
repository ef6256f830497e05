# restore_cart (django-kwarg, strip): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/unsafe-deserialization line=11
from django.http import HttpResponse, JsonResponse
import jsonpickle
import html


def restore_cart(request, cart):
    cart = html.escape(cart)
    cart = cart.strip()
    cart = jsonpickle.decode(cart)
    return JsonResponse({"status": "ok"})
