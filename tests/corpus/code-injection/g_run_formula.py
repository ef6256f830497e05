# run_formula (django-kwarg, helper): untrusted request data reaches the sink
# expect: mamori:python/code-injection line=7
from django.http import HttpResponse, JsonResponse


def run_formula_job(value):
    code = compile(value, "<formula>", "eval")
    result = code.co_names


def run_formula(request, formula):
    run_formula_job(formula)
    return JsonResponse({"status": "ok"})
