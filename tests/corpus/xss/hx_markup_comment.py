# Comment preview wraps user text in Markup, which disables autoescaping in the template.
# expect: mamori:python/xss line=12
from flask import Flask, render_template, request
from markupsafe import Markup

app = Flask(__name__)


@app.post("/comments/preview")
def preview_comment():
    body = request.form.get("body", "")
    rendered = Markup("<div class='comment'>" + body.replace("\n", "<br>") + "</div>")
    return render_template("preview.html", comment=rendered)
