# ruff: noqa: E501  (expected source snippets are kept on one line, as in the code they test)
from __future__ import annotations

import sqlite3

from mamori.fix.codemods.sql_parameterize import SqlParameterizeFixer
from mamori.fix.interface import Declined
from tests.fix.helpers import apply_fixer, assert_idempotent, line_of, make_finding, reader

FIXER = SqlParameterizeFixer()


def _declined(src: str, at: str) -> str:
    """The fixer's reason for declining the finding at the line containing ``at``."""
    result = FIXER.fix(make_finding(cwe=89, line=line_of(src, at)), reader({"app/views.py": src}))
    assert isinstance(result, Declined), result
    return result.reason


SEARCH = """import sqlite3


def search(db, uid, q):
    rows = db.execute(f"SELECT id, name FROM accounts WHERE owner_id = {uid} AND name LIKE '%{q}%'").fetchall()
    return rows
"""


def test_fstring_with_like_becomes_qmark_query() -> None:
    fixed = apply_fixer(FIXER, SEARCH, cwe=89, at="db.execute")
    assert fixed == SEARCH.replace(
        """db.execute(f"SELECT id, name FROM accounts WHERE owner_id = {uid} AND name LIKE '%{q}%'")""",
        """db.execute("SELECT id, name FROM accounts WHERE owner_id = ? AND name LIKE ?", (uid, f"%{q}%"))""",
    )
    assert_idempotent(FIXER, fixed, cwe=89, at="db.execute")


def test_quoted_value_loses_its_quotes_and_single_param_is_a_tuple() -> None:
    src = "import sqlite3\ncur.execute(\"SELECT * FROM users WHERE name = '%s'\" % name)\n"
    fixed = apply_fixer(FIXER, src, cwe=89, at="cur.execute")
    assert fixed == 'import sqlite3\ncur.execute("SELECT * FROM users WHERE name = ?", (name,))\n'


def test_concat_and_format() -> None:
    src = (
        "import sqlite3\n"
        'a = cur.execute("SELECT * FROM t WHERE id = " + str(i))\n'
        "b = cur.execute(\"DELETE FROM t WHERE k = '{}' AND n > {}\".format(k, n))\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="a =")
    assert fixed is not None
    assert 'a = cur.execute("SELECT * FROM t WHERE id = ?", (str(i),))\n' in fixed
    fixed = apply_fixer(FIXER, src, cwe=89, at="b =")
    assert fixed is not None
    assert 'b = cur.execute("DELETE FROM t WHERE k = ? AND n > ?", (k, n))\n' in fixed


def test_psycopg_uses_format_placeholders_and_escapes_percent() -> None:
    src = "import psycopg2\ncur.execute(f\"SELECT * FROM t WHERE a LIKE 'x%' AND b = {b}\")\n"
    fixed = apply_fixer(FIXER, src, cwe=89, at="cur.execute")
    assert fixed == (
        "import psycopg2\ncur.execute(\"SELECT * FROM t WHERE a LIKE 'x%%' AND b = %s\", (b,))\n"
    )


def test_sqlalchemy_text_uses_named_parameters() -> None:
    src = (
        "from sqlalchemy import text\n"
        "rows = conn.execute(text(f\"SELECT * FROM t WHERE name = '{user.name}' AND id = {uid}\"))\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="rows =")
    assert fixed == (
        "from sqlalchemy import text\n"
        'rows = conn.execute(text("SELECT * FROM t WHERE name = :name AND id = :uid"),'
        ' {"name": user.name, "uid": uid})\n'
    )


def test_query_in_a_variable_reported_at_either_line() -> None:
    src = (
        "import sqlite3\n"
        "\n"
        "\n"
        "def find(cur, name):\n"
        "    query = f\"SELECT id FROM users WHERE name = '{name}'\"\n"
        "    cur.execute(query)\n"
        "    return cur.fetchone()\n"
    )
    expected = src.replace(
        "f\"SELECT id FROM users WHERE name = '{name}'\"", '"SELECT id FROM users WHERE name = ?"'
    ).replace("cur.execute(query)", "cur.execute(query, (name,))")
    assert apply_fixer(FIXER, src, cwe=89, at="query = ") == expected
    assert apply_fixer(FIXER, src, cwe=89, at="cur.execute") == expected


def test_paramstyle_from_the_module_that_provides_the_connection() -> None:
    files = {
        "portal/db.py": "import sqlite3\n\n\ndef get_db():\n    return sqlite3.connect(':memory:')\n",
        "portal/views.py": 'from .db import get_db\n\nrows = get_db().execute(f"SELECT * FROM t WHERE id = {i}")\n',
    }
    finding = make_finding(
        cwe=89, line=line_of(files["portal/views.py"], "rows ="), path="portal/views.py"
    )
    proposal = FIXER.fix(finding, reader(files))
    assert proposal is not None
    assert (
        'get_db().execute("SELECT * FROM t WHERE id = ?", (i,))'
        in proposal.changes["portal/views.py"]
    )


def test_declines_identifier_positions_and_unknown_driver() -> None:
    for query in (
        'f"SELECT * FROM {table} WHERE id = 1"',
        'f"SELECT * FROM t ORDER BY {column}"',
        'f"SELECT {cols} FROM t"',
        'f"SELECT * FROM t WHERE id IN ({ids})"',
        'f"SELECT * FROM t WHERE {cond}"',
        'f"SELECT * FROM t_{suffix} WHERE id = 1"',
        "f'SELECT * FROM \"{table}\"'",
    ):
        src = f"import sqlite3\ncur.execute({query})\n"
        assert "cannot be parameterised" in _declined(src, "cur.execute"), query
    assert "driver" in _declined('cur.execute(f"SELECT 1 WHERE a = {a}")\n', "cur")


def test_declines_when_parameters_already_passed() -> None:
    src = 'import sqlite3\ncur.execute(f"SELECT * FROM t WHERE a = ? AND b = {b}", (a,))\n'
    assert apply_fixer(FIXER, src, cwe=89, at="cur.execute") is None


def _run(src: str, func: str, *args: object) -> object:
    namespace: dict[str, object] = {}
    exec(compile(src, "app/views.py", "exec"), namespace)
    fn = namespace[func]
    assert callable(fn)
    return fn(*args)


def _db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE users (id INTEGER, name TEXT, role TEXT)")
    db.executemany("INSERT INTO users VALUES (?, ?, ?)", [(1, "ann", "admin"), (2, "bob", "user")])
    return db


STEPS = """import sqlite3


def search(db, name, role):
    sql = "SELECT id FROM users WHERE 1 = 1"
    if name:
        sql += " AND name = '" + name + "'"
    if role:
        sql += f" AND role = '{role}'"
    return [r[0] for r in db.execute(sql).fetchall()]
"""


def test_query_built_in_steps_under_if_gets_a_params_list() -> None:
    fixed = apply_fixer(FIXER, STEPS, cwe=89, at="db.execute")
    assert fixed is not None
    assert fixed == STEPS.replace(
        """    sql = "SELECT id FROM users WHERE 1 = 1"\n""",
        """    sql = "SELECT id FROM users WHERE 1 = 1"\n    params = []\n""",
    ).replace(
        """        sql += " AND name = '" + name + "'"\n""",
        """        sql += " AND name = ?"\n        params.append(name)\n""",
    ).replace(
        """        sql += f" AND role = '{role}'"\n""",
        """        sql += " AND role = ?"\n        params.append(role)\n""",
    ).replace("db.execute(sql)", "db.execute(sql, params)")
    assert_idempotent(FIXER, fixed, cwe=89, at="db.execute")
    # reported at a step instead of the call: the same patch
    assert apply_fixer(FIXER, STEPS, cwe=89, at="AND name") == fixed
    db = _db()
    assert _run(fixed, "search", db, "ann", "") == [1]
    assert _run(fixed, "search", db, "", "user") == [2]
    assert _run(fixed, "search", db, "", "") == [1, 2]
    assert _run(fixed, "search", db, "x' OR '1'='1", "") == []  # the injection is a value


def test_unconditional_steps_pass_a_tuple() -> None:
    src = (
        "import psycopg2\n\n\ndef f(cur, a, b):\n"
        "    q = \"SELECT * FROM t WHERE a = '%s'\" % a\n"
        "    q += \" AND b LIKE 'x%' AND c = \" + str(b)\n"
        "    cur.execute(q)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="cur.execute")
    assert fixed is not None
    assert '    q = "SELECT * FROM t WHERE a = %s"\n' in fixed
    assert "    q += \" AND b LIKE 'x%%' AND c = %s\"\n" in fixed
    assert "    cur.execute(q, (a, str(b)))\n" in fixed


def test_steps_declined_when_the_query_is_read_elsewhere() -> None:
    src = STEPS.replace("    return [r[0]", "    print(sql)\n    return [r[0]")
    assert "used elsewhere" in _declined(src, "db.execute")


def test_django_connection_uses_format_placeholders() -> None:
    src = (
        "from django.db import connection\n\n\ndef search(q):\n"
        "    with connection.cursor() as cursor:\n"
        "        cursor.execute(\"SELECT id FROM shop_item WHERE name = '%s'\" % q)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="cursor.execute")
    assert fixed is not None
    assert 'cursor.execute("SELECT id FROM shop_item WHERE name = %s", (q,))' in fixed


def test_raw_string_given_to_sqlalchemy_is_wrapped_in_text() -> None:
    src = (
        "from flask_sqlalchemy import SQLAlchemy\n\ndb = SQLAlchemy()\n\n\ndef find(email):\n"
        "    query = f\"SELECT * FROM users WHERE email = '{email}'\"\n"
        "    return db.session.execute(query).all()\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="db.session")
    assert fixed is not None
    assert "from sqlalchemy import text\n" in fixed
    assert '    query = text("SELECT * FROM users WHERE email = :email")\n' in fixed
    assert '    return db.session.execute(query, {"email": email}).all()\n' in fixed
    assert_idempotent(FIXER, fixed, cwe=89, at="db.session")


def test_flask_sqlalchemy_db_text_runs_with_named_parameters() -> None:
    sqlalchemy = __import__("pytest").importorskip("sqlalchemy")
    src = (
        "import sqlalchemy\n\n\ndef names(conn, role):\n"
        '    stmt = sqlalchemy.text("SELECT name FROM users WHERE role = \'" + role + "\'")\n'
        "    return [r[0] for r in conn.execute(stmt)]\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="conn.execute")
    assert fixed is not None
    assert 'sqlalchemy.text("SELECT name FROM users WHERE role = :role")' in fixed
    engine = sqlalchemy.create_engine("sqlite://")
    with engine.connect() as conn:
        conn.execute(sqlalchemy.text("CREATE TABLE users (name TEXT, role TEXT)"))
        conn.execute(sqlalchemy.text("INSERT INTO users VALUES ('ann', 'admin'), ('bob', 'user')"))
        assert _run(fixed, "names", conn, "user") == ["bob"]
        assert _run(fixed, "names", conn, "x' OR 'a'='a") == []


def test_django_raw_query_with_a_value_glued_to_the_next_keyword() -> None:
    src = (
        "from django.shortcuts import render\nfrom .models import Login\n\n\n"
        "def login(request):\n"
        '    name = request.POST.get("name")\n'
        '    password = request.POST.get("pass")\n'
        '    sql_query = "SELECT * FROM introduction_login WHERE user=\'" + name + "\'AND password=\'" + password + "\'"\n'
        "    val = Login.objects.raw(sql_query)\n"
        "    return render(request, 'x.html', {'val': val})\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="objects.raw")
    assert fixed is not None
    assert (
        '    sql_query = "SELECT * FROM introduction_login WHERE user=%s AND password=%s"\n'
    ) in fixed
    assert "    val = Login.objects.raw(sql_query, (name, password))\n" in fixed


def test_glued_value_runs_the_same_on_sqlite() -> None:
    src = (
        "import sqlite3\n\n\ndef find(db, name):\n"
        "    return db.execute(\"SELECT id FROM users WHERE name='\" + name + \"'AND role='user'\").fetchall()\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="db.execute")
    assert fixed is not None
    assert "WHERE name=? AND role='user'\", (name,))" in fixed
    db = _db()
    assert _run(fixed, "find", db, "bob") == [(2,)]
    assert _run(fixed, "find", db, "x' OR 1=1 --") == []


def test_sqlalchemy_text_declines_a_stray_colon() -> None:
    src = (
        "from sqlalchemy import text\n\n\ndef f(conn, d):\n"
        "    return conn.execute(text(f\"SELECT * FROM t WHERE tag <> 'see :ref' AND id = {d}\"))\n"
    )
    assert "text() would read" in _declined(src, "conn.execute")


def test_pandas_read_sql_gets_params_keyword() -> None:
    src = (
        "import sqlite3\n\nimport pandas as pd\n\n\ndef report(conn, user):\n"
        "    sql = f\"SELECT * FROM users WHERE name = '{user}'\"\n"
        "    return pd.read_sql(sql, conn)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="pd.read_sql")
    assert fixed is not None
    assert '    sql = "SELECT * FROM users WHERE name = ?"\n' in fixed
    assert "    return pd.read_sql(sql, conn, params=(user,))\n" in fixed
    __import__("pytest").importorskip("pandas")
    frame = _run(fixed, "report", _db(), "ann")
    assert list(frame["id"]) == [1]  # type: ignore[index]
    assert len(_run(fixed, "report", _db(), "x' OR '1'='1")) == 0  # type: ignore[arg-type]
