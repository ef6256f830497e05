# Python 3.12 generic helper; the value is escaped before it is put in HTML: safe.
# expect: none
from markupsafe import escape
from flask import Flask, request

app = Flask(__name__)


def first[T](items: list[T], default: T) -> T:
    return items[0] if items else default


@app.route("/tags")
def tags():
    return f"<ul><li>{escape(first(request.args.getlist("tag"), "none"))}</li></ul>"
