# Search endpoint as a MethodView: LIKE pattern built with str.format.
# expect: mamori:python/sql-injection line=19
import sqlite3

from flask import Flask, jsonify, request
from flask.views import MethodView

app = Flask(__name__)


class ArticleSearch(MethodView):
    def __init__(self, db_path: str) -> None:
        self.db_path = db_path

    def get(self):
        term = request.values.get("q", "")
        db = sqlite3.connect(self.db_path)
        sql = "SELECT id, title FROM articles WHERE title LIKE '%{}%'".format(term)
        rows = db.execute(sql).fetchall()
        return jsonify(rows)


app.add_url_rule("/articles", view_func=ArticleSearch.as_view("articles", db_path="blog.db"))
