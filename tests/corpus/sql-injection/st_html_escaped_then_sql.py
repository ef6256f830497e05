# The nickname is HTML-escaped before it is kept in the module-level cache: that makes it safe
# in a page, not in the SQL statement built from it later.
# expect: mamori:python/sql-injection line=25
import html
import sqlite3

from flask import Flask, request

app = Flask(__name__)

NICKNAMES = {}


@app.route("/nick", methods=["POST"])
def set_nick():
    NICKNAMES[request.form["user"]] = html.escape(request.form["nick"])
    return "ok"


@app.route("/nick/<user>/greeting")
def greeting(user):
    nick = NICKNAMES.get(user, "friend")
    conn = sqlite3.connect("app.db")
    cur = conn.cursor()
    cur.execute(
        "INSERT INTO greetings (text) VALUES ('hello %s')" % nick
    )
    conn.commit()
    return "<p>Hello %s</p>" % nick
