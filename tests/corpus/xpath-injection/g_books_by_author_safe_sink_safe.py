# books_by_author (django-get, strip): the same data goes through the safe form of the API: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from lxml import etree


def books_by_author(request):
    author = request.GET.get("author", "")
    author = author.strip()
    finder = etree.XPath("//book[author=$author]/title")
    titles = finder(etree.parse("/srv/data/books.xml"), author=author)
    return JsonResponse({"status": "ok"})
