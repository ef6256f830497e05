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


def _items_db() -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE TABLE items (id INTEGER, name TEXT)")
    db.executemany("INSERT INTO items VALUES (?, ?)", [(1, "a"), (2, "b"), (3, "c")])
    return db


IN_LIST = """import sqlite3


def pick(db, ids):
    clause = ",".join(ids)
    return db.execute("SELECT name FROM items WHERE id IN (" + clause + ") ORDER BY id").fetchall()
"""


def test_sqlite_in_list_becomes_one_json_parameter() -> None:
    fixed = apply_fixer(FIXER, IN_LIST, cwe=89, at="db.execute")
    assert fixed == (
        "import sqlite3\nimport json\n\n\ndef pick(db, ids):\n"
        '    return db.execute("SELECT name FROM items WHERE id IN (SELECT value FROM json_each(?))'
        ' ORDER BY id", (json.dumps(list(ids)),)).fetchall()\n'
    )
    assert_idempotent(FIXER, fixed, cwe=89, at="db.execute")
    db = _items_db()
    assert _run(fixed, "pick", db, ["1", "3"]) == _run(IN_LIST, "pick", db, ["1", "3"])
    assert _run(fixed, "pick", db, ["1", "3"]) == [("a",), ("c",)]
    assert _run(fixed, "pick", db, ["2"]) == [("b",)]
    assert _run(fixed, "pick", db, []) == []
    assert _run(fixed, "pick", db, ["0) OR (1=1"]) == []  # the injection is one value


def test_sqlite_quoted_in_list_and_its_values() -> None:
    src = (
        "import sqlite3\n\n\ndef pick(db, names, n):\n"
        '    return db.execute("SELECT id FROM items WHERE id > " + str(n) + " AND name IN (\'"'
        ' + "\', \'".join(names) + "\')").fetchall()\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="db.execute")
    assert fixed is not None
    assert (
        '"SELECT id FROM items WHERE id > ? AND name IN (SELECT value FROM json_each(?))",'
        " (str(n), json.dumps(list(names)))" in fixed
    )
    db = _items_db()
    assert _run(fixed, "pick", db, ["a", "c"], 0) == _run(src, "pick", db, ["a", "c"], 0)
    assert _run(fixed, "pick", db, ["a", "c"], 1) == [(3,)]
    assert _run(fixed, "pick", db, ["x') OR ('1'='1"], 0) == []


def test_in_list_declined_without_sqlite_and_kept_when_the_list_is_reused() -> None:
    assert "cannot be parameterised" in _declined(
        IN_LIST.replace("import sqlite3", "import psycopg"), "db.execute"
    )
    # the joined text is read elsewhere, or the list changes before the query: the join stays
    # where it is and the query takes its comma-separated items
    reused = IN_LIST.replace("    return db", "    print(clause)\n    return db")
    moved = IN_LIST.replace("    return db", "    ids.append('4')\n    return db")
    for src in (reused, moved):
        fixed = apply_fixer(FIXER, src, cwe=89, at="db.execute")
        assert fixed is not None
        assert '    clause = ",".join(ids)\n' in fixed
        assert '(json.dumps([item.strip() for item in str(clause).split(",")]),)' in fixed
        assert _run(fixed, "pick", _items_db(), ["1", "3"]) == _run(
            src, "pick", _items_db(), ["1", "3"]
        )


CLAUSES = """import sqlite3


def count(db, who):
    clauses = ["role = 'user'", "name = '" + who + "'"]
    return db.execute("SELECT COUNT(*) FROM users WHERE " + " AND ".join(clauses)).fetchone()[0]
"""


def test_list_of_clauses_joined_once_is_inlined() -> None:
    fixed = apply_fixer(FIXER, CLAUSES, cwe=89, at="db.execute")
    assert fixed == (
        "import sqlite3\n\n\ndef count(db, who):\n"
        "    return db.execute(\"SELECT COUNT(*) FROM users WHERE role = 'user' AND name = ?\","
        " (who,)).fetchone()[0]\n"
    )
    assert_idempotent(FIXER, fixed, cwe=89, at="db.execute")
    db = _db()
    assert _run(fixed, "count", db, "bob") == _run(CLAUSES, "count", db, "bob") == 1
    assert _run(fixed, "count", db, "x' OR '1'='1") == 0


CONDITIONS = """import sqlite3


def find(db, name, role, ids):
    conditions = []
    if name:
        conditions.append(f"name = '{name}'")
    if role:
        conditions.append("role = '" + role + "'")
    for i in ids:
        conditions.append("id <> %s" % i)
    sql = "SELECT id FROM users"
    if conditions:
        sql += " WHERE " + " AND ".join(conditions)
    return [r[0] for r in db.execute(sql + " ORDER BY id").fetchall()]
"""


def test_conditions_appended_to_a_list_pass_their_values_alongside() -> None:
    src = CONDITIONS.replace('db.execute(sql + " ORDER BY id")', "db.execute(sql)")
    fixed = apply_fixer(FIXER, src, cwe=89, at="db.execute")
    assert fixed is not None
    assert "    conditions = []\n    params = []\n" in fixed
    assert '        conditions.append("name = ?")\n        params.append(name)\n' in fixed
    assert '        conditions.append("role = ?")\n        params.append(role)\n' in fixed
    assert '        conditions.append("id <> ?")\n        params.append(i)\n' in fixed
    assert '        sql += " WHERE " + " AND ".join(conditions)\n' in fixed
    assert "db.execute(sql, params)" in fixed
    assert_idempotent(FIXER, fixed, cwe=89, at="db.execute")
    db = _db()
    for args in (
        ("ann", "", []),
        ("", "user", []),
        ("", "", [1]),
        ("", "", []),
        ("bob", "user", [1]),
    ):
        assert _run(fixed, "find", db, *args) == _run(src, "find", db, *args), args
    assert _run(fixed, "find", db, "x' OR '1'='1", "", []) == []


def test_conditions_with_a_column_from_input_or_used_elsewhere_are_declined() -> None:
    src = CONDITIONS.replace('db.execute(sql + " ORDER BY id")', "db.execute(sql)")
    column = src.replace("f\"name = '{name}'\"", 'f"{name} = 1"')
    assert "cannot be parameterised" in _declined(column, "db.execute")
    logged = src.replace("    sql = ", "    print(conditions)\n    sql = ")
    assert "cannot be parameterised" in _declined(logged, "db.execute")
    # another value in the query: its order among the conditions' values is not known
    mixed = src.replace('" WHERE "', '" WHERE id > " + str(len(name)) + " AND "')
    assert apply_fixer(FIXER, mixed, cwe=89, at="db.execute") is None


def test_psycopg2_identifier_is_quoted_with_sql_identifier() -> None:
    src = (
        "import psycopg2\n\n\ndef products(cur, sort):\n"
        "    cur.execute(\"SELECT id FROM products WHERE name LIKE 'a%' ORDER BY \" + sort)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="cur.execute")
    assert fixed == (
        "import psycopg2\nfrom psycopg2 import sql\n\n\ndef products(cur, sort):\n"
        "    cur.execute(sql.SQL(\"SELECT id FROM products WHERE name LIKE 'a%' ORDER BY {}\")"
        ".format(sql.Identifier(sort)))\n"
    )
    assert_idempotent(FIXER, fixed, cwe=89, at="cur.execute")


def test_psycopg2_identifier_and_values_and_a_taken_sql_name() -> None:
    src = (
        "import psycopg2\n\n\ndef rows(cur, table, owner):\n"
        "    sql = f\"SELECT * FROM {table} WHERE owner = '{owner}' AND tag LIKE 'x%'\"\n"
        "    cur.execute(sql)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="cur.execute")
    assert fixed is not None
    assert "import psycopg2.sql\n" in fixed
    assert (
        "    sql = psycopg2.sql.SQL(\"SELECT * FROM {} WHERE owner = %s AND tag LIKE 'x%%'\")"
        ".format(psycopg2.sql.Identifier(table))\n"
    ) in fixed
    assert "    cur.execute(sql, (owner,))\n" in fixed
    assert_idempotent(FIXER, fixed, cwe=89, at="cur.execute")


def test_identifier_still_declined_for_sqlite_and_clause_positions_for_psycopg2() -> None:
    assert "identifier" in _declined(
        'import sqlite3\ncur.execute(f"SELECT * FROM t ORDER BY {col}")\n', "cur.execute"
    )
    assert "identifier" in _declined(
        'import psycopg2\ncur.execute(f"SELECT * FROM t WHERE {cond}")\n', "cur.execute"
    )


LOOP_NAMED = """from sqlalchemy import text


def report(conn, args):
    sql = "SELECT name FROM users WHERE 1=1"
    for field in ("name", "role"):
        value = args.get(field)
        if value:
            sql += f" AND {field} = '{value}'"
    sql += " ORDER BY name"
    return [r[0] for r in conn.execute(text(sql))]
"""


def test_steps_in_a_loop_over_constant_columns_use_the_column_as_parameter_name() -> None:
    sqlalchemy = __import__("pytest").importorskip("sqlalchemy")
    fixed = apply_fixer(FIXER, LOOP_NAMED, cwe=89, at="conn.execute")
    assert fixed is not None
    assert fixed == LOOP_NAMED.replace(
        '    sql = "SELECT name FROM users WHERE 1=1"\n',
        '    sql = "SELECT name FROM users WHERE 1=1"\n    params = {}\n',
    ).replace(
        "            sql += f\" AND {field} = '{value}'\"\n",
        '            sql += f" AND {field} = :{field}"\n            params[field] = value\n',
    ).replace("conn.execute(text(sql))", "conn.execute(text(sql), params)")
    assert_idempotent(FIXER, fixed, cwe=89, at="conn.execute")
    engine = sqlalchemy.create_engine("sqlite://")
    with engine.connect() as conn:
        conn.execute(sqlalchemy.text("CREATE TABLE users (name TEXT, role TEXT)"))
        conn.execute(sqlalchemy.text("INSERT INTO users VALUES ('ann', 'admin'), ('bob', 'user')"))
        for args in ({}, {"name": "bob"}, {"role": "admin"}, {"name": "ann", "role": "user"}):
            assert _run(fixed, "report", conn, args) == _run(LOOP_NAMED, "report", conn, args)
        assert _run(fixed, "report", conn, {"role": "x' OR 'a'='a"}) == []


def test_steps_in_a_loop_over_input_values_append_positional_parameters() -> None:
    src = (
        "import sqlite3\n\n\ndef any_of(db, names):\n"
        '    sql = "SELECT id FROM users WHERE 0 = 1"\n'
        "    for name in names:\n"
        '        sql += " OR name = \'" + name + "\'"\n'
        "    return [r[0] for r in db.execute(sql).fetchall()]\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="db.execute")
    assert fixed is not None
    assert '        sql += " OR name = ?"\n        params.append(name)\n' in fixed
    db = _db()
    for names in ([], ["ann"], ["ann", "bob"]):
        assert _run(fixed, "any_of", db, names) == _run(src, "any_of", db, names)
    assert _run(fixed, "any_of", db, ["x' OR '1'='1"]) == []


def test_loops_that_cannot_name_their_parameters_or_take_columns_from_input_are_declined() -> None:
    over_input = LOOP_NAMED.replace('("name", "role")', "args")
    assert "identifier" in _declined(over_input, "conn.execute")
    named = (
        "from sqlalchemy import text\n\n\ndef f(conn, names):\n"
        '    sql = "SELECT id FROM users WHERE 0 = 1"\n'
        "    for name in names:\n"
        '        sql += " OR name = \'" + name + "\'"\n'
        "    return conn.execute(text(sql)).all()\n"
    )
    assert "named parameter set in a loop" in _declined(named, "conn.execute")
    columns = (
        "import sqlite3\n\n\ndef f(db, filters):\n"
        '    sql = "SELECT id FROM users WHERE 1=1"\n'
        "    for k, v in filters.items():\n"
        "        sql += f\" AND {k} = '{v}'\"\n"
        "    return db.execute(sql).fetchall()\n"
    )
    assert "identifier" in _declined(columns, "db.execute")


ORDER = """import sqlite3


def listing(db, request):
    sort = request.args.get("sort", "name")
    return db.execute(f"SELECT id, name FROM users WHERE role <> 'x' ORDER BY {sort}").fetchall()
"""


class _Args:
    def __init__(self, **args: str) -> None:
        self.args = args


def test_sqlite_order_by_chooses_among_the_selected_columns() -> None:
    fixed = apply_fixer(FIXER, ORDER, cwe=89, at="db.execute")
    assert fixed is not None
    assert (
        "db.execute(\"SELECT id, name FROM users WHERE role <> 'x' ORDER BY CASE ? WHEN 'id'"
        " THEN id WHEN 'name' THEN name END\", (sort,))"
    ) in fixed
    assert_idempotent(FIXER, fixed, cwe=89, at="db.execute")
    db = _db()
    db.execute("INSERT INTO users VALUES (0, 'zed', 'user')")
    for args in ({}, {"sort": "id"}, {"sort": "name"}):
        assert _run(fixed, "listing", db, _Args(**args)) == _run(
            ORDER, "listing", db, _Args(**args)
        )
    # anything else is a value that matches no column: the rows come back, unsorted
    assert len(_run(fixed, "listing", db, _Args(sort="(SELECT 1) --"))) == 3  # type: ignore[arg-type]


def test_sqlite_order_by_declined_when_a_default_is_not_selected() -> None:
    src = ORDER.replace('"sort", "name"', '"sort", "role"')
    assert "identifier" in _declined(src, "db.execute")


def test_psycopg2_order_by_direction_is_asc_unless_desc() -> None:
    src = (
        "import psycopg2\n\n\ndef products(cur, sort, order):\n"
        '    cur.execute(f"SELECT id FROM products ORDER BY {sort} {order} LIMIT 5")\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="cur.execute")
    assert fixed is not None
    assert (
        '    cur.execute(sql.SQL("SELECT id FROM products ORDER BY {} {} LIMIT 5").format('
        'sql.Identifier(sort), sql.SQL("DESC" if str(order).upper() == "DESC" else "ASC")))\n'
    ) in fixed
    assert_idempotent(FIXER, fixed, cwe=89, at="cur.execute")


def test_psycopg2_and_pymysql_in_list_is_one_tuple_parameter() -> None:
    for driver in ("psycopg2", "pymysql"):
        src = IN_LIST.replace("import sqlite3", f"import {driver}")
        fixed = apply_fixer(FIXER, src, cwe=89, at="db.execute")
        assert fixed == (
            f"import {driver}\n\n\ndef pick(db, ids):\n"
            '    return db.execute("SELECT name FROM items WHERE id IN %s ORDER BY id",'
            " (tuple(ids),)).fetchall()\n"
        )
        assert_idempotent(FIXER, fixed, cwe=89, at="db.execute")
    quoted = (
        "import MySQLdb\n\n\ndef pick(cur, names):\n"
        '    cur.execute("SELECT id FROM items WHERE name IN ( \'" + "\',\'".join(names) + "\' )")\n'
    )
    fixed = apply_fixer(FIXER, quoted, cwe=89, at="cur.execute")
    assert fixed is not None
    assert 'cur.execute("SELECT id FROM items WHERE name IN %s", (tuple(names),))' in fixed


def test_sqlite_order_by_column_and_direction() -> None:
    src = (
        "import sqlite3\n\n\ndef listing(db, sort, direction):\n"
        '    sql = f"SELECT id, name FROM users ORDER BY {sort} {direction} LIMIT 10"\n'
        "    return db.execute(sql).fetchall()\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="db.execute")
    assert fixed is not None
    assert "(direction, sort, direction, sort)" in fixed
    assert_idempotent(FIXER, fixed, cwe=89, at="db.execute")
    db = _db()
    db.execute("INSERT INTO users VALUES (0, 'zed', 'user')")
    for args in (("id", "ASC"), ("id", "desc"), ("name", "DESC"), ("name", "asc")):
        assert _run(fixed, "listing", db, *args) == _run(src, "listing", db, *args), args
    assert len(_run(fixed, "listing", db, "id; DROP TABLE users", "ASC")) == 3  # type: ignore[arg-type]
    assert len(_run(fixed, "listing", db, "id", "ASC, (SELECT 1)")) == 3  # type: ignore[arg-type]


def test_in_list_of_values_quoted_one_by_one() -> None:
    src = (
        "import sqlite3\n\n\ndef pick(db, names):\n"
        '    quoted = ", ".join(f"\'{n}\'" for n in names)\n'
        '    return db.execute(f"SELECT id FROM items WHERE name IN ({quoted}) ORDER BY id").fetchall()\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="db.execute")
    assert fixed is not None
    assert "(json.dumps([n for n in names]),)" in fixed
    assert "quoted =" not in fixed
    db = _items_db()
    assert _run(fixed, "pick", db, ["a", "c"]) == _run(src, "pick", db, ["a", "c"]) == [(1,), (3,)]
    assert _run(fixed, "pick", db, ["a') OR ('1'='1"]) == []


def test_conditions_joined_into_a_variable_first() -> None:
    src = CONDITIONS.replace(
        '        sql += " WHERE " + " AND ".join(conditions)\n',
        '        where = " AND ".join(conditions)\n        sql += f" WHERE {where}"\n',
    ).replace('db.execute(sql + " ORDER BY id")', "db.execute(sql)")
    fixed = apply_fixer(FIXER, src, cwe=89, at="db.execute")
    assert fixed is not None
    assert '        sql += f" WHERE {where}"\n' in fixed
    assert "db.execute(sql, params)" in fixed
    db = _db()
    for args in (("ann", "", []), ("", "user", [2]), ("", "", [])):
        assert _run(fixed, "find", db, *args) == _run(src, "find", db, *args), args


def test_conditions_shared_by_two_queries_are_declined() -> None:
    src = (
        "import sqlite3\n\n\ndef page(db, name):\n"
        "    conds = []\n"
        "    if name:\n"
        "        conds.append(f\"name = '{name}'\")\n"
        '    where = " AND ".join(conds) or "1=1"\n'
        '    total = db.execute(f"SELECT COUNT(*) FROM users WHERE {where}").fetchone()[0]\n'
        '    rows = db.execute(f"SELECT id FROM users WHERE {where}").fetchall()\n'
        "    return total, rows\n"
    )
    assert apply_fixer(FIXER, src, cwe=89, at="rows = ") is None
    shared = src.replace(' or "1=1"', "")
    assert apply_fixer(FIXER, shared, cwe=89, at="rows = ") is None


def test_conditions_joined_or_a_constant_when_empty() -> None:
    src = (
        "import sqlite3\n\n\ndef page(db, name, role):\n"
        "    conds = []\n"
        "    if name:\n"
        "        conds.append(f\"name = '{name}'\")\n"
        "    if role:\n"
        "        conds.append(f\"role = '{role}'\")\n"
        '    where = " AND ".join(conds) if conds else "1=1"\n'
        '    return db.execute(f"SELECT id FROM users WHERE {where} ORDER BY id").fetchall()\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="db.execute")
    assert fixed is not None
    assert 'db.execute(f"SELECT id FROM users WHERE {where} ORDER BY id", params)' in fixed
    db = _db()
    for args in (("ann", ""), ("", "user"), ("", ""), ("ann", "user")):
        assert _run(fixed, "page", db, *args) == _run(src, "page", db, *args), args
    assert _run(fixed, "page", db, "x' OR '1'='1", "") == []


def test_steps_in_a_try_block_that_does_not_run_the_query_are_declined() -> None:
    src = (
        "import sqlite3\n\n\ndef f(db, v):\n"
        '    sql = "SELECT id FROM users WHERE 1 = 1"\n'
        "    try:\n"
        "        sql += f\" AND id = '{int(v)}'\"\n"
        "    except ValueError:\n"
        "        pass\n"
        "    return db.execute(sql).fetchall()\n"
    )
    assert "try/with" in _declined(src, "db.execute")
    inside = (
        "import sqlite3\n\n\ndef f(db, v):\n"
        "    with db:\n"
        '        sql = "SELECT id FROM users WHERE 1 = 1"\n'
        "        if v:\n"
        "            sql += f\" AND name = '{v}'\"\n"
        "        return db.execute(sql).fetchall()\n"
    )
    fixed = apply_fixer(FIXER, inside, cwe=89, at="db.execute")
    assert fixed is not None
    assert _run(fixed, "f", _db(), "bob") == [(2,)]


def test_sqlite_order_by_declined_over_a_subquery() -> None:
    src = ORDER.replace("FROM users WHERE", "FROM (SELECT id, name, role FROM users) WHERE")
    assert "identifier" in _declined(src, "db.execute")


def test_query_in_a_loop_over_constant_table_names_keeps_the_name() -> None:
    src = (
        "import sqlite3\n\n\ndef counts(db, role):\n"
        "    out = {}\n"
        '    for table in ("users", "admins"):\n'
        "        out[table] = db.execute(f\"SELECT COUNT(*) FROM {table} WHERE role = '{role}'\").fetchone()[0]\n"
        "    return out\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="db.execute")
    assert fixed is not None
    assert 'db.execute(f"SELECT COUNT(*) FROM {table} WHERE role = ?", (role,))' in fixed
    assert_idempotent(FIXER, fixed, cwe=89, at="db.execute")
    db = _db()
    db.execute("CREATE TABLE admins (id INTEGER, name TEXT, role TEXT)")
    assert (
        _run(fixed, "counts", db, "user")
        == _run(src, "counts", db, "user")
        == {"users": 1, "admins": 0}
    )
    assert _run(fixed, "counts", db, "x' OR '1'='1") == {"users": 0, "admins": 0}


def test_in_list_from_a_comma_separated_string() -> None:
    src = (
        "import sqlite3\n\n\ndef pick(db, ids):\n"
        '    return db.execute(f"SELECT name FROM items WHERE id IN ({ids}) ORDER BY id").fetchall()\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="db.execute")
    assert fixed is not None
    assert '(json.dumps([item.strip() for item in str(ids).split(",")]),)' in fixed
    db = _items_db()
    for ids in ("1,3", "2", "1, 2"):
        assert _run(fixed, "pick", db, ids) == _run(src, "pick", db, ids), ids
    assert _run(fixed, "pick", db, "0) OR (1=1") == []


def test_clauses_not_inlined_when_their_values_change_before_the_query() -> None:
    src = CLAUSES.replace(
        '    return db.execute("SELECT COUNT(*) FROM users WHERE " + " AND ".join(clauses))',
        '    where = " AND ".join(clauses)\n    who = who.upper()\n'
        '    return db.execute("SELECT COUNT(*) FROM users WHERE " + where)',
    )
    fixed = apply_fixer(FIXER, src, cwe=89, at="db.execute")
    assert fixed is not None
    # not inlined (that would read `who` after it changed): the list keeps its place and its
    # values are captured next to it
    assert '    clauses = ["role = \'user\'", "name = ?"]\n    params = [who]\n' in fixed
    db = _db()
    assert _run(fixed, "count", db, "bob") == _run(src, "count", db, "bob") == 1
    assert _run(fixed, "count", db, "x' OR '1'='1") == 0
