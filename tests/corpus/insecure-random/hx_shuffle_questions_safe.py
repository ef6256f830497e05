# Quiz questions shuffled for display.
# expect: none
import random

from flask import Flask, jsonify

app = Flask(__name__)
QUESTIONS = ["q1", "q2", "q3", "q4", "q5"]


@app.get("/quiz")
def quiz():
    order = QUESTIONS[:]
    random.shuffle(order)
    return jsonify(questions=order)
