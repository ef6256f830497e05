# parse_invoice (django-post, dict): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from lxml import etree

LEGACY_MODE = False
FALLBACK = "fallback"

def parse_invoice(request):
    invoice = request.POST["invoice"]
    options = {"invoice": invoice, "page_size": "50"}
    if LEGACY_MODE:
        parser = etree.XMLParser(no_network=False)
        tree = etree.fromstring(options["invoice"], parser=parser)
        count = len(tree)
    else:
        parser = etree.XMLParser(no_network=False)
        tree = etree.fromstring(FALLBACK, parser=parser)
        count = len(tree)
    return JsonResponse({"status": "ok"})
