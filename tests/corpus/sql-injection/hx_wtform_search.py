# Flask-WTF search form; the field value is %-formatted into the query.
# expect: mamori:python/sql-injection line=24
import sqlite3

from flask import Flask, render_template
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired

app = Flask(__name__)


class SearchForm(FlaskForm):
    query = StringField("Search", validators=[DataRequired()])


@app.route("/search", methods=["GET", "POST"])
def search():
    form = SearchForm()
    results = []
    if form.validate_on_submit():
        db = sqlite3.connect("catalog.db")
        sql = "SELECT title FROM books WHERE title LIKE '%%%s%%'" % form.query.data
        results = db.execute(sql).fetchall()
    return render_template("search.html", form=form, results=results)
