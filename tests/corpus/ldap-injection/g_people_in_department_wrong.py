# people_in_department (django-post, class): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/ldap-injection line=20
from django.http import HttpResponse, JsonResponse
from ldap3 import Connection, Server
import html


class PeopleInDepartmentRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def people_in_department(request):
    department = request.POST["department"]
    department = html.escape(department)
    req = PeopleInDepartmentRequest(department)
    conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
    parts = ["(objectClass=person)", "(department=" + req.value + ")"]
    conn.search("dc=corp", "(&" + "".join(parts) + ")")
    return JsonResponse({"status": "ok"})
