# people_in_department (django-post, dict): only a constant element of the container reaches the sink: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from ldap3 import Connection, Server


def people_in_department(request):
    department = request.POST["department"]
    options = {"department": department, "page_size": "50"}
    conn = Connection(Server("ldap://ldap.corp"), auto_bind=True)
    parts = ["(objectClass=person)", "(department=" + options["page_size"] + ")"]
    conn.search("dc=corp", "(&" + "".join(parts) + ")")
    return JsonResponse({"status": "ok"})
