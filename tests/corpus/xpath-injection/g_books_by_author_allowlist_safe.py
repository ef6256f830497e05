# books_by_author (django-get, strip): the value is checked against an allow-list first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from lxml import etree

ALLOWED_AUTHORS = frozenset({"alpha", "beta", "main"})

def books_by_author(request):
    author = request.GET.get("author", "")
    if author not in ALLOWED_AUTHORS:
        raise ValueError("unsupported author")
    author = author.strip()
    finder = etree.XPath("//book[author='{}']/title".format(author))
    titles = finder(etree.parse("/srv/data/books.xml"))
    return JsonResponse({"status": "ok"})
