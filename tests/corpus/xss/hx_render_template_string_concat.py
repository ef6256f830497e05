# Error page template assembled from the requested path.
# expect: mamori:python/xss line=11
from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.errorhandler(404)
def not_found(error):
    template = """<h1>Not found</h1><p>The page %s does not exist.</p>""" % request.path
    return render_template_string(template), 404
