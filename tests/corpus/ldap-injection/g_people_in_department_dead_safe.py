# people_in_department (django-post, class): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from ldap3 import Connection, Server

LEGACY_MODE = False
FALLBACK = "fallback"

class PeopleInDepartmentRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def people_in_department(request):
    department = request.POST["department"]
    req = PeopleInDepartmentRequest(department)
    if LEGACY_MODE:
        conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
        parts = ["(objectClass=person)", "(department=" + req.value + ")"]
        conn.search("dc=corp", "(&" + "".join(parts) + ")")
    else:
        conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
        parts = ["(objectClass=person)", "(department=" + FALLBACK + ")"]
        conn.search("dc=corp", "(&" + "".join(parts) + ")")
    return JsonResponse({"status": "ok"})
