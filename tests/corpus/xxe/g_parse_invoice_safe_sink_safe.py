# parse_invoice (django-post, dict): the same data goes through the safe form of the API: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from lxml import etree


def parse_invoice(request):
    invoice = request.POST["invoice"]
    options = {"invoice": invoice, "page_size": "50"}
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    tree = etree.fromstring(options["invoice"], parser=parser)
    count = len(tree)
    return JsonResponse({"status": "ok"})
