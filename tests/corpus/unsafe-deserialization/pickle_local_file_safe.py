# pickle of a file the app wrote itself: safe.
# expect: none
from flask import Flask, request

app = Flask(__name__)

import pickle

@app.route("/model")
def model():
    with open("/srv/model.pkl", "rb") as fh:
        clf = pickle.load(fh)
    return {"classes": list(clf.classes_), "q": request.args.get("q")}
