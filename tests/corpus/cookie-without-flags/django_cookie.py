# Django response cookie without the secure flag.
# expect: mamori:python/cookie-without-flags line=8
from django.http import JsonResponse


def choose_team(request):
    response = JsonResponse({"ok": True})
    response.set_cookie("team", "blue", httponly=True)
    return response
