# parse_invoice (django-post, dict): the value is checked against an allow-list first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from lxml import etree

ALLOWED_INVOICES = frozenset({"alpha", "beta", "main"})

def parse_invoice(request):
    invoice = request.POST["invoice"]
    if invoice not in ALLOWED_INVOICES:
        raise ValueError("unsupported invoice")
    options = {"invoice": invoice, "page_size": "50"}
    parser = etree.XMLParser(no_network=False)
    tree = etree.fromstring(options["invoice"], parser=parser)
    count = len(tree)
    return JsonResponse({"status": "ok"})
