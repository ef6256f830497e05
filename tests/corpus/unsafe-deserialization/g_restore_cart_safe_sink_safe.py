# restore_cart (django-kwarg, strip): the same data goes through the safe form of the API: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import jsonpickle
import json


def restore_cart(request, cart):
    cart = cart.strip()
    cart = json.loads(cart)
    return JsonResponse({"status": "ok"})
