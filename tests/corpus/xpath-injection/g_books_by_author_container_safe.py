# books_by_author (django-get, dict): only a constant element of the container reaches the sink: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from lxml import etree


def books_by_author(request):
    author = request.GET.get("author", "")
    options = {"author": author, "page_size": "50"}
    finder = etree.XPath("//book[author='{}']/title".format(options["page_size"]))
    titles = finder(etree.parse("/srv/data/books.xml"))
    return JsonResponse({"status": "ok"})
