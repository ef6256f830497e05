# books_by_author (django-get, strip): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/xpath-injection line=12
from django.http import HttpResponse, JsonResponse
from lxml import etree
import shlex


def books_by_author(request):
    author = request.GET.get("author", "")
    author = shlex.quote(author)
    author = author.strip()
    finder = etree.XPath("//book[author='{}']/title".format(author))
    titles = finder(etree.parse("/srv/data/books.xml"))
    return JsonResponse({"status": "ok"})
