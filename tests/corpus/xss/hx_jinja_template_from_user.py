# Email template editor previews the template body the user typed.
# expect: mamori:python/xss line=12
from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.post("/templates/preview")
def preview_template():
    body = request.form["template"]
    context = {"first_name": "Ada", "company": "Example Ltd"}
    return render_template_string(body, **context)
