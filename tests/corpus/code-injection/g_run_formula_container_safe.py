# run_formula (django-kwarg, dict): only a constant element of the container reaches the sink: safe
# expect: none
from django.http import HttpResponse, JsonResponse


def run_formula(request, formula):
    options = {"formula": formula, "page_size": "50"}
    code = compile(options["page_size"], "<formula>", "eval")
    result = code.co_names
    return JsonResponse({"status": "ok"})
