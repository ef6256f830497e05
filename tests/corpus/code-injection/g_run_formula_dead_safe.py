# run_formula (django-kwarg, helper): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from django.http import HttpResponse, JsonResponse

LEGACY_MODE = False
FALLBACK = "fallback"

def run_formula_job(value):
    code = compile(value, "<formula>", "eval")
    result = code.co_names


def run_formula(request, formula):
    if LEGACY_MODE:
        run_formula_job(formula)
    else:
        run_formula_job(FALLBACK)
    return JsonResponse({"status": "ok"})
