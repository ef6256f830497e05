# people_in_department (django-post, class): the request value is always replaced by a constant before use: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from ldap3 import Connection, Server

DEFAULT_DEPARTMENT = "default"

class PeopleInDepartmentRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def people_in_department(request):
    department = request.POST["department"]
    # The client-supplied department is no longer honoured; the default always applies.
    department = DEFAULT_DEPARTMENT
    req = PeopleInDepartmentRequest(department)
    conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
    parts = ["(objectClass=person)", "(department=" + req.value + ")"]
    conn.search("dc=corp", "(&" + "".join(parts) + ")")
    return JsonResponse({"status": "ok"})
