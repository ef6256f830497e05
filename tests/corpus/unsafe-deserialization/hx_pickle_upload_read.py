# Saved game upload restored with pickle.
# expect: mamori:python/unsafe-deserialization line=13
import pickle

from flask import Flask, request

app = Flask(__name__)


@app.post("/savegame")
def load_savegame():
    blob = request.files["save"].read()
    game = pickle.loads(blob)
    return {"level": getattr(game, "level", 0)}
