# parse_invoice (django-post, dict): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/xxe line=13
from django.http import HttpResponse, JsonResponse
from lxml import etree
import html


def parse_invoice(request):
    invoice = request.POST["invoice"]
    invoice = html.escape(invoice)
    options = {"invoice": invoice, "page_size": "50"}
    parser = etree.XMLParser(no_network=False)
    tree = etree.fromstring(options["invoice"], parser=parser)
    count = len(tree)
    return JsonResponse({"status": "ok"})
