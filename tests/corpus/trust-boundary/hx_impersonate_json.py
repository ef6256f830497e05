# Support tool: the user id to impersonate comes from the JSON body.
# expect: mamori:python/trust-boundary line=15
from flask import Flask, request, session
from flask.views import MethodView

app = Flask(__name__)


class Impersonate(MethodView):
    def post(self):
        data = request.get_json() or {}
        user_id = data.get("user_id")
        if not user_id:
            return {"error": "user_id required"}, 400
        session["impersonating"] = user_id
        return {"ok": True}


app.add_url_rule("/support/impersonate", view_func=Impersonate.as_view("impersonate"))
