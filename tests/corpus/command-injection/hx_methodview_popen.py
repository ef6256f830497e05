# A MethodView that converts documents by shelling out with data from the JSON body.
# expect: mamori:python/command-injection line=18
import os

from flask import Flask, jsonify, request
from flask.views import MethodView

app = Flask(__name__)


class ConvertAPI(MethodView):
    def post(self):
        data = request.get_json(silent=True) or {}
        source = data.get("source")
        fmt = data.get("format", "pdf")
        if not source:
            return jsonify(error="source required"), 400
        stream = os.popen("libreoffice --headless --convert-to %s %s" % (fmt, source))
        return jsonify(log=stream.read())


app.add_url_rule("/convert", view_func=ConvertAPI.as_view("convert"))
