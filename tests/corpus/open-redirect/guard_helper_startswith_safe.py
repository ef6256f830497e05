# A helper that accepts only same-site paths ("/x", not "//host") guards the redirect: safe.
# expect: none
from flask import Flask, redirect, request

app = Flask(__name__)


def is_local(url: str) -> bool:
    return url.startswith("/") and not url.startswith("//")


@app.route("/go")
def go():
    target = request.args.get("to", "/")
    if is_local(target):
        return redirect(target)
    return redirect("/")
