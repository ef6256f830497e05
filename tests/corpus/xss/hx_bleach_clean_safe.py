# Rich-text bio cleaned with bleach before being marked safe.
# expect: none
import bleach
from flask import Flask, render_template, request
from markupsafe import Markup

app = Flask(__name__)
ALLOWED_TAGS = ["b", "i", "em", "strong", "a", "p"]


@app.post("/profile/bio")
def save_bio():
    bio = bleach.clean(request.form.get("bio", ""), tags=ALLOWED_TAGS, strip=True)
    return render_template("bio.html", bio=Markup(bio))
