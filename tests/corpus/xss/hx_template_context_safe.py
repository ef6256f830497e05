# Constant template; the user value is passed as context and autoescaped by Jinja.
# expect: none
from flask import Flask, render_template_string, request

app = Flask(__name__)
PAGE = "<h2>Results for {{ q }}</h2><ul>{% for r in results %}<li>{{ r }}</li>{% endfor %}</ul>"


@app.get("/find")
def find():
    q = request.args.get("q", "")
    results = [q.upper(), q.lower()]
    return render_template_string(PAGE, q=q, results=results)
