# Django view: request.GET into a raw cursor query.
# expect: mamori:python/sql-injection line=9
from django.db import connection
from django.http import JsonResponse

def search(request):
    q = request.GET.get("q", "")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM shop_item WHERE name = '%s'" % q)
        rows = cursor.fetchall()
    return JsonResponse({"ids": [r[0] for r in rows]})
