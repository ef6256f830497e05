# Views defined inside an application factory; one shells out with a query parameter.
# expect: mamori:python/command-injection line=15
import os

from flask import Flask, request


def create_app(config: dict | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(config or {})

    @app.get("/dns")
    def dns():
        domain = request.args.get("domain", "example.com")
        result = os.popen(f"dig +short {domain}").read()
        return {"records": result.split()}

    return app
