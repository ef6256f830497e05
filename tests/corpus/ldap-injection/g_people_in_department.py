# people_in_department (django-post, class): untrusted request data reaches the sink
# expect: mamori:python/ldap-injection line=18
from django.http import HttpResponse, JsonResponse
from ldap3 import Connection, Server


class PeopleInDepartmentRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def people_in_department(request):
    department = request.POST["department"]
    req = PeopleInDepartmentRequest(department)
    conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
    parts = ["(objectClass=person)", "(department=" + req.value + ")"]
    conn.search("dc=corp", "(&" + "".join(parts) + ")")
    return JsonResponse({"status": "ok"})
