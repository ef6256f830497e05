# group_members (django-kwarg, helper): the request value is always replaced by a constant before use: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from ldap3 import Connection, Server

DEFAULT_GROUP = "default"

def group_members_job(value):
    conn = Connection(Server("ldap://ldap.corp"), user="cn=svc", password="")
    conn.bind()
    search_filter = "(&(objectClass=group)(cn=%s))" % value
    conn.search("ou=groups,dc=corp", search_filter)


def group_members(request, group):
    # The client-supplied group is no longer honoured; the default always applies.
    group = DEFAULT_GROUP
    group_members_job(group)
    return JsonResponse({"status": "ok"})
