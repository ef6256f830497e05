# Class-based view returning HTML with the search term.
# expect: mamori:python/xss line=13
from flask import Flask, request
from flask.views import MethodView

app = Flask(__name__)


class SearchView(MethodView):
    def get(self):
        term = request.args.get("term", "")
        items = "".join(f"<li>{x}</li>" for x in ("a", "b"))
        return f"<p>Results for <b>{term}</b></p><ul>{items}</ul>"


app.add_url_rule("/search", view_func=SearchView.as_view("search"))
