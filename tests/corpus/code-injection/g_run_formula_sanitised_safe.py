# run_formula (django-kwarg, helper): the value is sanitised for this sink first: safe
# expect: none
from django.http import HttpResponse, JsonResponse


def run_formula_job(value):
    code = compile(value, "<formula>", "eval")
    result = code.co_names


def run_formula(request, formula):
    formula = float(formula)
    run_formula_job(formula)
    return JsonResponse({"status": "ok"})
