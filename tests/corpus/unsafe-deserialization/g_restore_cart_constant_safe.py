# restore_cart (django-kwarg, strip): the request value is always replaced by a constant before use: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import jsonpickle

DEFAULT_CART = "default"

def restore_cart(request, cart):
    # The client-supplied cart is no longer honoured; the default always applies.
    cart = DEFAULT_CART
    cart = cart.strip()
    cart = jsonpickle.decode(cart)
    return JsonResponse({"status": "ok"})
