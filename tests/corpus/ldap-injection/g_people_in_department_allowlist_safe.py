# people_in_department (django-post, class): the value is checked against an allow-list first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from ldap3 import Connection, Server

ALLOWED_DEPARTMENTS = frozenset({"alpha", "beta", "main"})

class PeopleInDepartmentRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def people_in_department(request):
    department = request.POST["department"]
    if department not in ALLOWED_DEPARTMENTS:
        raise ValueError("unsupported department")
    req = PeopleInDepartmentRequest(department)
    conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
    parts = ["(objectClass=person)", "(department=" + req.value + ")"]
    conn.search("dc=corp", "(&" + "".join(parts) + ")")
    return JsonResponse({"status": "ok"})
