# run_formula (django-kwarg, helper): the request value is always replaced by a constant before use: safe
# expect: none
from django.http import HttpResponse, JsonResponse

DEFAULT_FORMULA = "default"

def run_formula_job(value):
    code = compile(value, "<formula>", "eval")
    result = code.co_names


def run_formula(request, formula):
    # The client-supplied formula is no longer honoured; the default always applies.
    formula = DEFAULT_FORMULA
    run_formula_job(formula)
    return JsonResponse({"status": "ok"})
