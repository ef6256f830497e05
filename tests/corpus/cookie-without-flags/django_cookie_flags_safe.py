# Django cookie with Secure, HttpOnly and SameSite: safe.
# expect: none
from django.http import JsonResponse


def choose_team(request):
    response = JsonResponse({"ok": True})
    response.set_cookie("team", "blue", secure=True, httponly=True, samesite="Lax")
    return response
