# group_members (django-kwarg, helper): the value is sanitised for this sink first: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from ldap3 import Connection, Server
from ldap3.utils.conv import escape_filter_chars


def group_members_job(value):
    conn = Connection(Server("ldap://ldap.corp"), user="cn=svc", password="")
    conn.bind()
    search_filter = "(&(objectClass=group)(cn=%s))" % value
    conn.search("ou=groups,dc=corp", search_filter)


def group_members(request, group):
    group = escape_filter_chars(group)
    group_members_job(group)
    return JsonResponse({"status": "ok"})
