# run_formula (django-kwarg, helper): the same data goes through the safe form of the API: safe
# expect: none
from django.http import HttpResponse, JsonResponse
import ast


def run_formula_job(value):
    result = ast.literal_eval(value)


def run_formula(request, formula):
    run_formula_job(formula)
    return JsonResponse({"status": "ok"})
