# group_members (django-kwarg, dict): only a constant element of the container reaches the sink: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from ldap3 import Connection, Server


def group_members(request, group):
    options = {"group": group, "page_size": "50"}
    conn = Connection(Server("ldap://ldap.corp"), user="cn=svc", password="")
    conn.bind()
    search_filter = "(&(objectClass=group)(cn=%s))" % options["page_size"]
    conn.search("ou=groups,dc=corp", search_filter)
    return JsonResponse({"status": "ok"})
