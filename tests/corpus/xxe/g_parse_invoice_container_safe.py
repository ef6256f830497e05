# parse_invoice (django-post, dict): only a constant element of the container reaches the sink: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from lxml import etree


def parse_invoice(request):
    invoice = request.POST["invoice"]
    options = {"invoice": invoice, "page_size": "50"}
    parser = etree.XMLParser(no_network=False)
    tree = etree.fromstring(options["page_size"], parser=parser)
    count = len(tree)
    return JsonResponse({"status": "ok"})
