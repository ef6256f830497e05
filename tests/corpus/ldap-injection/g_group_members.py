# group_members (django-kwarg, helper): untrusted request data reaches the sink
# expect: mamori:python/ldap-injection line=11
from django.http import HttpResponse, JsonResponse
from ldap3 import Connection, Server


def group_members_job(value):
    conn = Connection(Server("ldap://ldap.corp"), user="cn=svc", password="")
    conn.bind()
    search_filter = "(&(objectClass=group)(cn=%s))" % value
    conn.search("ou=groups,dc=corp", search_filter)


def group_members(request, group):
    group_members_job(group)
    return JsonResponse({"status": "ok"})
