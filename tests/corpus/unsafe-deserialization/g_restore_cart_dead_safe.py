# restore_cart (django-kwarg, strip): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import jsonpickle

LEGACY_MODE = False
FALLBACK = "fallback"

def restore_cart(request, cart):
    cart = cart.strip()
    if LEGACY_MODE:
        cart = jsonpickle.decode(cart)
    else:
        cart = jsonpickle.decode(FALLBACK)
    return JsonResponse({"status": "ok"})
