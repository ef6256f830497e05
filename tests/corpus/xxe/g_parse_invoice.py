# parse_invoice (django-post, dict): untrusted request data reaches the sink
# expect: mamori:python/xxe line=11
from django.http import HttpResponse, JsonResponse
from lxml import etree


def parse_invoice(request):
    invoice = request.POST["invoice"]
    options = {"invoice": invoice, "page_size": "50"}
    parser = etree.XMLParser(no_network=False)
    tree = etree.fromstring(options["invoice"], parser=parser)
    count = len(tree)
    return JsonResponse({"status": "ok"})
