# group_members (django-kwarg, helper): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/ldap-injection line=12
from django.http import HttpResponse, JsonResponse
from ldap3 import Connection, Server
import html


def group_members_job(value):
    conn = Connection(Server("ldap://ldap.corp"), user="cn=svc", password="")
    conn.bind()
    search_filter = "(&(objectClass=group)(cn=%s))" % value
    conn.search("ou=groups,dc=corp", search_filter)


def group_members(request, group):
    group = html.escape(group)
    group_members_job(group)
    return JsonResponse({"status": "ok"})
