# A random greeting for the landing page.
# expect: none
import random

from flask import Flask

app = Flask(__name__)
GREETINGS = ("Hello", "Hi", "Welcome", "Hey there")


@app.get("/")
def landing():
    greeting = random.choice(GREETINGS)
    return {"greeting": greeting}
