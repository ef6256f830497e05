# The admin form stores the footer in the settings dict, but the page prints only the title,
# which no request ever writes.
# expect: none
from flask import Flask, request

app = Flask(__name__)

SETTINGS = {"title": "Acme", "footer": ""}


@app.post("/admin/footer")
def set_footer():
    SETTINGS["footer"] = request.form["footer"]
    return "", 204


@app.get("/")
def index():
    title = SETTINGS["title"]
    return "<html><head><title>" + title + "</title></head><body>Welcome</body></html>"
