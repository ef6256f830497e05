# A rule-engine service evaluates conditions posted by users.
# expect: mamori:python/code-injection line=14
from flask import Flask, request
from flask.views import MethodView

app = Flask(__name__)


class RuleEngine:
    def __init__(self, context: dict) -> None:
        self.context = context

    def check(self, condition: str) -> bool:
        return bool(eval(condition, {}, dict(self.context)))


class RuleCheck(MethodView):
    def post(self):
        data = request.get_json() or {}
        engine = RuleEngine({"amount": data.get("amount", 0)})
        return {"matches": engine.check(data.get("condition", "False"))}


app.add_url_rule("/rules/check", view_func=RuleCheck.as_view("rule_check"))
