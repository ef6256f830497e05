# group_members (django-kwarg, helper): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from django.http import HttpResponse, JsonResponse
from ldap3 import Connection, Server

LEGACY_MODE = False
FALLBACK = "fallback"

def group_members_job(value):
    conn = Connection(Server("ldap://ldap.corp"), user="cn=svc", password="")
    conn.bind()
    search_filter = "(&(objectClass=group)(cn=%s))" % value
    conn.search("ou=groups,dc=corp", search_filter)


def group_members(request, group):
    if LEGACY_MODE:
        group_members_job(group)
    else:
        group_members_job(FALLBACK)
    return JsonResponse({"status": "ok"})
