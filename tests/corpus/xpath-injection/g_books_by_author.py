# books_by_author (django-get, strip): untrusted request data reaches the sink
# expect: mamori:python/xpath-injection line=10
from django.http import HttpResponse, JsonResponse
from lxml import etree


def books_by_author(request):
    author = request.GET.get("author", "")
    author = author.strip()
    finder = etree.XPath("//book[author='{}']/title".format(author))
    titles = finder(etree.parse("/srv/data/books.xml"))
    return JsonResponse({"status": "ok"})
