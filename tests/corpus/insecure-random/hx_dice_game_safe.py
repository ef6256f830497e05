# A dice roll for a board game.
# expect: none
import random

from flask import Flask

app = Flask(__name__)


@app.get("/roll")
def roll():
    dice = [random.randint(1, 6) for _ in range(2)]
    return {"dice": dice, "total": sum(dice)}
