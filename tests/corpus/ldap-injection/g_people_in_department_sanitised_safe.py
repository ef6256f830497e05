# people_in_department (django-post, class): the value is sanitised for this sink first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from ldap3 import Connection, Server
from ldap3.utils.conv import escape_filter_chars


class PeopleInDepartmentRequest:
    def __init__(self, value):
        self.value = value
        self.created_by = "web"


def people_in_department(request):
    department = request.POST["department"]
    department = escape_filter_chars(department)
    req = PeopleInDepartmentRequest(department)
    conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
    parts = ["(objectClass=person)", "(department=" + req.value + ")"]
    conn.search("dc=corp", "(&" + "".join(parts) + ")")
    return JsonResponse({"status": "ok"})
