# books_by_author (django-get, strip): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from lxml import etree

LEGACY_MODE = False
FALLBACK = "fallback"

def books_by_author(request):
    author = request.GET.get("author", "")
    author = author.strip()
    if LEGACY_MODE:
        finder = etree.XPath("//book[author='{}']/title".format(author))
        titles = finder(etree.parse("/srv/data/books.xml"))
    else:
        finder = etree.XPath("//book[author='{}']/title".format(FALLBACK))
        titles = finder(etree.parse("/srv/data/books.xml"))
    return JsonResponse({"status": "ok"})
