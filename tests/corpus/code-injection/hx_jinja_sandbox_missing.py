# A "formula" field is evaluated with eval on every row of a CSV export.
# expect: mamori:python/code-injection line=17
import csv
import io

from flask import Flask, request

app = Flask(__name__)


@app.post("/export/computed")
def computed_export():
    formula = request.form.get("formula", "row['qty']")
    reader = csv.DictReader(io.StringIO(request.files["data"].read().decode()))
    totals = []
    for row in reader:
        totals.append(eval(formula, {"__builtins__": {}}, {"row": row}))
    return {"totals": totals}
