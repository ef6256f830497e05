# MethodView login posts back to the next field of the form.
# expect: mamori:python/open-redirect line=16
from flask import Flask, flash, redirect, request
from flask.views import MethodView

app = Flask(__name__)


class LoginView(MethodView):
    def get(self):
        return "<form method=post><input name=next></form>"

    def post(self):
        next_url = request.form.get("next", "/dashboard")
        flash("Welcome back")
        return redirect(next_url)


app.add_url_rule("/login", view_func=LoginView.as_view("login"))
