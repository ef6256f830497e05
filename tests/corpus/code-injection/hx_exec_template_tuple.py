# Plugin loader: module and class names from the request are interpolated into exec.
# expect: mamori:python/code-injection line=12
from flask import Flask, request

app = Flask(__name__)


@app.post("/plugins/load")
def load_plugin():
    module, cls = request.form["module"], request.form["class"]
    namespace: dict = {}
    exec("from plugins.%s import %s as Plugin" % (module, cls), namespace)
    return {"loaded": namespace["Plugin"].__name__}
