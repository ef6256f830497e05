# Python 3.12 generic helper building HTML with a nested-quote f-string.
# expect: mamori:python/xss line=14
from flask import Flask, request

app = Flask(__name__)


def first[T](items: list[T], default: T) -> T:
    return items[0] if items else default


@app.route("/tags")
def tags():
    return f"<ul><li>{first(request.args.getlist("tag"), "none")}</li></ul>"
