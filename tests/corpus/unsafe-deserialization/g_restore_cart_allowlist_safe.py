# restore_cart (django-kwarg, strip): the value is checked against an allow-list first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import jsonpickle

ALLOWED_CARTS = frozenset({"alpha", "beta", "main"})

def restore_cart(request, cart):
    if cart not in ALLOWED_CARTS:
        raise ValueError("unsupported cart")
    cart = cart.strip()
    cart = jsonpickle.decode(cart)
    return JsonResponse({"status": "ok"})
