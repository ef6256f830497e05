# Reproducible sampling of rows for an A/B report with a seeded generator.
# expect: none
import random

from flask import Flask, request

app = Flask(__name__)
ROWS = list(range(10_000))


@app.get("/reports/sample")
def sample():
    seed = request.args.get("seed", 42, type=int)
    rng = random.Random(seed)
    return {"sample": rng.sample(ROWS, 20)}
