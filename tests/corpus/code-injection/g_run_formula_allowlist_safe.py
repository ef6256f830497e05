# run_formula (django-kwarg, helper): the value is checked against an allow-list first: safe
# expect: none
from django.http import HttpResponse, JsonResponse

ALLOWED_FORMULAS = frozenset({"alpha", "beta", "main"})

def run_formula_job(value):
    code = compile(value, "<formula>", "eval")
    result = code.co_names


def run_formula(request, formula):
    if formula not in ALLOWED_FORMULAS:
        raise ValueError("unsupported formula")
    run_formula_job(formula)
    return JsonResponse({"status": "ok"})
