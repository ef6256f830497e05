# run_formula (django-kwarg, helper): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/code-injection line=8
from django.http import HttpResponse, JsonResponse
import html


def run_formula_job(value):
    code = compile(value, "<formula>", "eval")
    result = code.co_names


def run_formula(request, formula):
    formula = html.escape(formula)
    run_formula_job(formula)
    return JsonResponse({"status": "ok"})
