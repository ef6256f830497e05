# books_by_author (django-get, strip): the request value is always replaced by a constant before use: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from lxml import etree

DEFAULT_AUTHOR = "default"

def books_by_author(request):
    author = request.GET.get("author", "")
    # The client-supplied author is no longer honoured; the default always applies.
    author = DEFAULT_AUTHOR
    author = author.strip()
    finder = etree.XPath("//book[author='{}']/title".format(author))
    titles = finder(etree.parse("/srv/data/books.xml"))
    return JsonResponse({"status": "ok"})
