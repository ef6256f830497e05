# The compression level is validated against a tuple of choices before use.
# expect: none
import subprocess

from flask import Flask, request

app = Flask(__name__)
LEVELS = ("1", "5", "9")


@app.post("/compress")
def compress():
    level = request.form.get("level", "5")
    if level not in LEVELS:
        return {"error": f"level must be one of {', '.join(LEVELS)}"}, 400
    subprocess.run(f"gzip -{level} -k /srv/data/export.csv", shell=True, check=True)
    return {"level": level}
