# ruff: noqa: E501  (expected source snippets are kept on one line, as in the code they test)
from __future__ import annotations

from mamori.fix.codemods.sql_parameterize import SqlParameterizeFixer
from tests.fix.helpers import apply_fixer, assert_idempotent, line_of, make_finding, reader

FIXER = SqlParameterizeFixer()

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
        assert apply_fixer(FIXER, src, cwe=89, at="cur.execute") is None, query
    assert apply_fixer(FIXER, 'cur.execute(f"SELECT 1 WHERE a = {a}")\n', cwe=89, at="cur") is None


def test_declines_when_parameters_already_passed() -> None:
    src = 'import sqlite3\ncur.execute(f"SELECT * FROM t WHERE a = ? AND b = {b}", (a,))\n'
    assert apply_fixer(FIXER, src, cwe=89, at="cur.execute") is None
