# parse_invoice (django-post, dict): the request value is always replaced by a constant before use: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from lxml import etree

DEFAULT_INVOICE = "default"

def parse_invoice(request):
    invoice = request.POST["invoice"]
    # The client-supplied invoice is no longer honoured; the default always applies.
    invoice = DEFAULT_INVOICE
    options = {"invoice": invoice, "page_size": "50"}
    parser = etree.XMLParser(no_network=False)
    tree = etree.fromstring(options["invoice"], parser=parser)
    count = len(tree)
    return JsonResponse({"status": "ok"})
