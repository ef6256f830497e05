# An admin form stores the footer text in a module-level settings dict under a fixed key;
# every page prints it.
# expect: mamori:python/xss line=24
from flask import Flask, request

app = Flask(__name__)

SETTINGS = {"title": "Acme", "footer": ""}


@app.post("/admin/footer")
def set_footer():
    SETTINGS["footer"] = request.form["footer"]
    return "", 204


def layout(body):
    return "<html><body>" + body + "</body></html>"


@app.get("/")
def index():
    footer = SETTINGS["footer"]
    return layout("<main>Welcome</main><footer>" + footer + "</footer>")
