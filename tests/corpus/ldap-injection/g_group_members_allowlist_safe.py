# group_members (django-kwarg, helper): the value is checked against an allow-list first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from ldap3 import Connection, Server

ALLOWED_GROUPS = frozenset({"alpha", "beta", "main"})

def group_members_job(value):
    conn = Connection(Server("ldap://ldap.corp"), user="cn=svc", password="")
    conn.bind()
    search_filter = "(&(objectClass=group)(cn=%s))" % value
    conn.search("ou=groups,dc=corp", search_filter)


def group_members(request, group):
    if group not in ALLOWED_GROUPS:
        raise ValueError("unsupported group")
    group_members_job(group)
    return JsonResponse({"status": "ok"})
