# ruff: noqa
# mypy: ignore-errors
"""The body of every generated exploit test (a template: the generator prepends ``SPEC``).

It runs inside the sandbox with the interpreter Mamori runs on: it copies the repository into
the sandbox's private /tmp (so the application may write its instance files), instruments the
sinks, builds the Flask, Django or FastAPI/Starlette application, sends a harmless marker
payload to the route where the flow starts (through the framework's test client, then, when a
login or a converter keeps it out, by calling the view itself), and reports whether the payload
reached the sink in a dangerous form. Sinks that would act (subprocess, os.system, LDAP and
outbound HTTP) are blocked or recorded, never run against a server. The verdict is written to
/mamori-out/exploit.json; ``test_exploit`` fails when the payload did not get through.
"""

HARNESS = r'''
import builtins, importlib, inspect, io, json, os, re, shlex, shutil, sys, traceback
from urllib.parse import quote, urlparse

MARK = SPEC["marker"]
REACHED = []
NOTES = []
SAFE_LOADERS = ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")
DIR = "/tmp/mamori-" + MARK
ENTITY = DIR + "/xxe.txt"
SSRF_HOST = "mamori-" + MARK + ".example"


def _in_sink_scope():
    # Only the finding's own sink counts: a call from the function that holds it (so another
    # flow of the same route, left unpatched, does not make the exploit "still work").
    want = SPEC.get("sink_function")
    if not want:
        return True
    path = os.path.normpath(SPEC["sink_file"])
    f = sys._getframe(1)
    while f is not None:
        code = f.f_code
        if code.co_name == want and os.path.normpath(code.co_filename).endswith(path):
            if _at_sink_call(f):
                return True
        f = f.f_back
    return False


def _at_sink_call(frame):
    """Whether ``frame`` (the sink's function) is calling the finding's own sink (SPEC["sink_call"],
    e.g. ``send_file``): another sink of the same function (an ``os.makedirs`` two lines above,
    a finding of its own) does not make this finding's exploit work."""
    want = SPEC.get("sink_call")
    if not want:
        return True
    text = _call_text(frame)
    if text is None:
        return True  # no source to compare with: the function is the finest scope known
    callee = _callee(text)
    if callee is not None:
        return callee == want
    return re.search(r"\b" + re.escape(want) + r"\s*\(", text) is not None


def _call_text(frame):
    """The source of the expression the frame is evaluating (the call in progress)."""
    import linecache

    code = frame.f_code
    try:
        start, end, col, end_col = list(code.co_positions())[frame.f_lasti // 2]
    except (AttributeError, IndexError, TypeError, ValueError):
        start = end = frame.f_lineno
        col = end_col = None
    if start is None:
        return None
    lines = [linecache.getline(code.co_filename, n) for n in range(start, (end or start) + 1)]
    if not any(lines):
        return None
    if col is not None and end_col is not None:
        lines[-1] = lines[-1][:end_col]
        lines[0] = lines[0][col:]
    return "".join(lines).strip()


def _callee(text):
    """The name a call expression ``...name(args)`` calls (None when it is not one)."""
    if not text.endswith(")"):
        return None
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        ch = text[i]
        if ch == ")":
            depth += 1
        elif ch == "(":
            depth -= 1
            if depth == 0:
                m = re.search(r"(\w+)\s*$", text[:i])
                return m.group(1) if m else None
    return None


def _reached(sink, evidence, scoped=True):
    if scoped and not _in_sink_scope():
        NOTES.append(f"{sink} reached outside {SPEC.get('sink_function')}()")
        return
    REACHED.append({"sink": sink, "evidence": str(evidence)[:300]})


def _as_text(value):
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return os.fspath(value) if isinstance(value, os.PathLike) else str(value)


def _shell_injected(command):
    # Injected when ";" is a shell operator followed by our own "echo MARK": quoting (shlex.quote)
    # keeps it inside one word.
    try:
        lex = shlex.shlex(command, posix=True, punctuation_chars=True)
        tokens = list(lex)
    except ValueError:
        return False
    return any(tokens[i] in _SHELL_OPERATORS and tokens[i + 1 : i + 3] == ["echo", MARK] for i in range(len(tokens) - 2))


def _code_names(code, depth=0):
    """The names a code object and the functions and lambdas nested in it refer to."""
    names = set(getattr(code, "co_names", ()))
    if depth < 8:
        for const in getattr(code, "co_consts", ()):
            if hasattr(const, "co_names"):
                names |= _code_names(const, depth + 1)
    return names


_SHELL_OPERATORS = (";", "|", "||", "&&", "&")


def _audit(event, args):
    cwe = SPEC["cwe"]
    if event in ("open", "os.mkdir", "os.listdir", "os.remove", "os.rename", "shutil.copyfile") and cwe == 22:
        path = args[0] if args else None
        if isinstance(path, (str, bytes, os.PathLike)):
            p = os.path.normpath(os.path.abspath(_as_text(path)))
            if p == DIR or p.startswith(DIR + "/"):
                _reached(event, p)
    elif event == "subprocess.Popen" and cwe == 78:
        argv = [_as_text(a) for a in (args[1] if isinstance(args[1], (list, tuple)) else [args[1]])]
        shell = len(argv) >= 3 and argv[1] == "-c" and argv[0].endswith("sh")
        if (shell and _shell_injected(argv[2])) or any(a.startswith("-" + MARK) for a in argv):
            _reached("subprocess", argv)
        elif not shell and argv and MARK in argv[0]:
            _reached("subprocess program", argv)  # the request chooses the program to run
        raise PermissionError("blocked by the Mamori exploit harness")
    elif event == "os.system" and cwe == 78:
        if _shell_injected(_as_text(args[0])):
            _reached("os.system", args[0])
        raise PermissionError("blocked by the Mamori exploit harness")
    elif event in ("os.exec", "os.posix_spawn", "os.spawn") and cwe == 78:
        raise PermissionError("blocked by the Mamori exploit harness")
    elif event == "exec" and cwe in (94, 95):
        if ("mamori_" + MARK) in _code_names(args[0]):
            _reached("exec/eval", "mamori_" + MARK)
    elif event == "open" and cwe == 611 and args and isinstance(args[0], (str, bytes, os.PathLike)):
        # An expat-based parser (xml.sax, pulldom, minidom) loading the external entity.
        if os.path.normpath(os.path.abspath(_as_text(args[0]))) == ENTITY:
            _reached("external entity", ENTITY)
    elif cwe == 918 and event in ("socket.getaddrinfo", "socket.connect", "urllib.Request"):
        if event == "socket.connect":
            address = args[1] if len(args) > 1 else None
            host = address[0] if isinstance(address, tuple) and address else ""
        elif event == "socket.getaddrinfo":
            host = args[0]
        else:
            host = urlparse(_as_text(args[0])).hostname or ""
        if _as_text(host or "").lower().rstrip(".").endswith(SSRF_HOST):
            _reached("outbound request", f"{event} {_as_text(host)}")
            # Never connect: the sandbox has no network, and the harness does not try.
            raise ConnectionRefusedError("blocked by the Mamori exploit harness")


def _flask_defaults():
    """Configuration every Flask application gets before its own code runs: a database in the
    private /tmp (extensions such as Flask-SQLAlchemy refuse to start without one)."""
    try:
        import flask
    except ImportError:
        return
    real_init = flask.Flask.__init__

    def init(self, *a, **k):
        real_init(self, *a, **k)
        self.config.setdefault("SQLALCHEMY_DATABASE_URI", "sqlite:////tmp/mamori-exploit.db")
        self.config.setdefault("DATABASE_URL", "sqlite:////tmp/mamori-exploit.db")

    flask.Flask.__init__ = init


def _instrument():
    sys.addaudithook(_audit)
    _flask_defaults()
    import sqlite3

    real_connect = sqlite3.connect

    class Cursor(sqlite3.Cursor):
        def execute(self, sql, *a, **k):
            _check_sql(sql)
            return super().execute(sql, *a, **k)

        def executemany(self, sql, *a, **k):
            _check_sql(sql)
            return super().executemany(sql, *a, **k)

        def executescript(self, sql, *a, **k):
            _check_sql(sql)
            return super().executescript(sql, *a, **k)

    class Connection(sqlite3.Connection):
        def cursor(self, factory=Cursor):
            return super().cursor(factory)

        def execute(self, sql, *a, **k):
            return self.cursor().execute(sql, *a, **k)

        def executemany(self, sql, *a, **k):
            return self.cursor().executemany(sql, *a, **k)

        def executescript(self, sql, *a, **k):
            return self.cursor().executescript(sql, *a, **k)

    def connect(*a, **k):
        k.setdefault("factory", Connection)
        return real_connect(*a, **k)

    sqlite3.connect = connect
    sqlite3.dbapi2.connect = connect  # what SQLAlchemy's pysqlite dialect calls
    import pickle

    for name in ("loads", "load"):
        real = getattr(pickle, name)

        def wrapped(data, *a, _real=real, **k):
            raw = data.read() if hasattr(data, "read") else data
            if MARK.encode() in (raw if isinstance(raw, bytes) else _as_text(raw).encode()):
                _reached("pickle." + _real.__name__, "marker pickle")
            return _real(raw, *a, **k) if not hasattr(data, "read") else _real(__import__("io").BytesIO(raw), *a, **k)

        setattr(pickle, name, wrapped)
    try:
        import yaml
    except ImportError:
        yaml = None
    if yaml is not None:
        real_load = yaml.load

        def load(stream, Loader=None, *a, **k):
            text = stream.read() if hasattr(stream, "read") else stream
            loader = getattr(Loader, "__name__", str(Loader))
            if MARK in _as_text(text) and loader not in SAFE_LOADERS:
                _reached("yaml.load", loader)
            return real_load(text, Loader, *a, **k)

        yaml.load = load
        real_load_all = yaml.load_all

        def load_all(stream, Loader=None, *a, **k):
            text = stream.read() if hasattr(stream, "read") else stream
            loader = getattr(Loader, "__name__", str(Loader))
            if MARK in _as_text(text) and loader not in SAFE_LOADERS:
                _reached("yaml.load_all", loader)
            return real_load_all(text, Loader, *a, **k)

        yaml.load_all = load_all
        for name in ("unsafe_load", "full_load", "unsafe_load_all", "full_load_all"):
            real = getattr(yaml, name, None)
            if real is not None:

                def unsafe(stream, _real=real, _name=name):
                    text = stream.read() if hasattr(stream, "read") else stream
                    if MARK in _as_text(text):
                        _reached("yaml." + _name, "")
                    return _real(text)

                setattr(yaml, name, unsafe)
    if SPEC["cwe"] == 502:
        _instrument_deserialisers()
    if SPEC["cwe"] == 79:
        _instrument_markup()
    if SPEC["cwe"] == 89:
        for name in ("psycopg2", "pymysql", "MySQLdb"):
            try:
                importlib.import_module(name)
            except ImportError:
                _fake_dbapi(name)
    _instrument_django()
    cwe = SPEC["cwe"]
    if cwe in (611, 643):
        _instrument_xml(cwe)
    if cwe == 90:
        _instrument_ldap()
    if cwe == 501:
        _instrument_session()
    if cwe == 918:
        _instrument_http()


def _instrument_markup():
    """markupsafe.Markup (what Flask's and Jinja's templates trust) made from the raw payload:
    the page renders it unescaped whichever template shows it."""
    try:
        import markupsafe
    except ImportError:
        return
    real_new = markupsafe.Markup.__new__

    def new(cls, base="", *a, **k):
        if isinstance(base, str) and not hasattr(base, "__html__") and SPEC.get("payload", "\0") in base:
            _reached("Markup", "the raw payload marked safe")
        return real_new(cls, base, *a, **k)

    markupsafe.Markup.__new__ = new


class _FakeCursor:
    """A DB-API cursor of a driver whose server the sandbox cannot reach: it checks the SQL
    text and returns no rows."""

    rowcount, lastrowid, description, arraysize = 0, None, None, 1

    def __init__(self, *a, **k):
        pass

    def execute(self, sql, params=None, *a, **k):
        _check_sql(_neutral_sql(sql))

    def executemany(self, sql, seq=(), *a, **k):
        _check_sql(_neutral_sql(sql))

    def callproc(self, *a, **k):
        return None

    def fetchone(self):
        return None

    def fetchall(self):
        return []

    def fetchmany(self, *a, **k):
        return []

    def close(self):
        pass

    def __iter__(self):
        return iter(())

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _FakeConnection:
    autocommit = False

    def __init__(self, *a, **k):
        pass

    def cursor(self, *a, **k):
        return _FakeCursor()

    def execute(self, sql, *a, **k):
        cursor = _FakeCursor()
        cursor.execute(sql, *a, **k)
        return cursor

    def commit(self):
        pass

    def rollback(self):
        pass

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class _Composable:
    """psycopg2.sql's composition: identifiers and literals render as neutral placeholders,
    so only the SQL() text the application wrote is checked."""

    def __init__(self, value, kind="sql"):
        self.value, self.kind = value, kind

    def as_string(self, context=None):
        if self.kind == "sql":
            return self.value
        if self.kind == "composed":
            return "".join(_neutral_sql(p) for p in self.value)
        return "?"  # Identifier, Literal, Placeholder

    def format(self, *args, **kwargs):
        parts, pos = [], iter(args)
        for literal, field, _spec, _conv in __import__("string").Formatter().parse(self.value):
            parts.append(_Composable(literal))
            if field is not None:
                parts.append(kwargs[field] if field and not field.isdigit() else (args[int(field)] if field else next(pos)))
        return _Composable(parts, "composed")

    def join(self, seq):
        parts = []
        for i, p in enumerate(seq):
            parts += ([self] if i else []) + [p]
        return _Composable(parts, "composed")

    def __add__(self, other):
        return _Composable([self, other], "composed")


def _neutral_sql(sql):
    return sql.as_string(None) if isinstance(sql, _Composable) else _as_text(sql)


def _fake_dbapi(name):
    import types

    mod = types.ModuleType(name)
    mod.__mamori_fake__ = True
    mod.connect = mod.Connect = lambda *a, **k: _FakeConnection()
    mod.paramstyle, mod.apilevel, mod.threadsafety = "pyformat", "2.0", 1
    mod.Error = type("Error", (Exception,), {})
    for err in ("DatabaseError", "OperationalError", "IntegrityError", "ProgrammingError", "InterfaceError", "DataError"):
        setattr(mod, err, type(err, (mod.Error,), {}))
    extras = types.ModuleType(name + ".extras")
    extras.RealDictCursor = extras.DictCursor = extras.NamedTupleCursor = _FakeCursor
    cursors = types.ModuleType(name + ".cursors")
    cursors.DictCursor = cursors.Cursor = cursors.SSCursor = _FakeCursor
    sql = types.ModuleType(name + ".sql")
    sql.SQL = lambda text: _Composable(text)
    sql.Identifier = lambda *names: _Composable(names, "identifier")
    sql.Literal = lambda value: _Composable(value, "literal")
    sql.Placeholder = lambda name=None: _Composable(name, "placeholder")
    sql.Composed = lambda parts: _Composable(list(parts), "composed")
    errors = types.ModuleType(name + ".errors")
    mod.extras, mod.cursors, mod.sql, mod.errors = extras, cursors, sql, errors
    mod.escape_string = lambda value: _as_text(value).replace("\\", "\\\\").replace("'", "\\'")
    sys.modules.update({name: mod, name + ".extras": extras, name + ".cursors": cursors, name + ".sql": sql, name + ".errors": errors})


def _instrument_deserialisers():
    """marshal, shelve (a database of pickles opened by name) and jsonpickle (a stand-in that
    only records when it is not installed)."""
    import marshal
    import shelve
    import types

    real_marshal = marshal.loads

    def marshal_loads(data, *a, **k):
        if MARK.encode() in bytes(data):
            _reached("marshal.loads", "marker data")
        return real_marshal(data, *a, **k)

    marshal.loads = marshal_loads
    real_shelve = shelve.open

    def shelve_open(filename, *a, **k):
        if MARK in _as_text(filename):
            _reached("shelve.open", filename)
        return real_shelve(filename, *a, **k)

    shelve.open = shelve_open
    try:
        import jsonpickle
    except ImportError:
        jsonpickle = types.ModuleType("jsonpickle")
        jsonpickle.__mamori_fake__ = True
        jsonpickle.encode = jsonpickle.dumps = lambda value, *a, **k: json.dumps(value, default=str)
        jsonpickle.decode = jsonpickle.loads = lambda text, *a, **k: json.loads(text)
        sys.modules["jsonpickle"] = jsonpickle
    for name in ("decode", "loads"):
        real = getattr(jsonpickle, name, None)
        if real is None:
            continue

        def decode(text, *a, _real=real, _name=name, **k):
            if MARK in _as_text(text):
                _reached("jsonpickle." + _name, "marker document")
            return _real(text, *a, **k)

        setattr(jsonpickle, name, decode)


def _marker_host(url):
    host = urlparse(_as_text(url)).hostname or ""
    return host.lower().rstrip(".").endswith(SSRF_HOST)


def _instrument_http():
    """HTTP clients, checked where the application calls them: an async client resolves names
    in a worker thread, outside the frames of the view."""
    try:
        import httpx
    except ImportError:
        httpx = None
    if httpx is not None:
        real_send, real_async_send = httpx.Client.send, httpx.AsyncClient.send

        def send(self, request, *a, **k):
            if _marker_host(request.url):
                _reached("httpx", str(request.url))
                raise httpx.ConnectError("blocked by the Mamori exploit harness", request=request)
            return real_send(self, request, *a, **k)

        async def async_send(self, request, *a, **k):
            if _marker_host(request.url):
                _reached("httpx", str(request.url))
                raise httpx.ConnectError("blocked by the Mamori exploit harness", request=request)
            return await real_async_send(self, request, *a, **k)

        httpx.Client.send, httpx.AsyncClient.send = send, async_send
    try:
        import requests
    except ImportError:
        return
    real_request = requests.Session.request

    def request(self, method, url, *a, **k):
        if _marker_host(url):
            _reached("requests", url)
            raise requests.ConnectionError("blocked by the Mamori exploit harness")
        return real_request(self, method, url, *a, **k)

    requests.Session.request = request


def _instrument_django():
    try:
        from django.db.backends import utils
    except ImportError:
        return

    for name in ("execute", "executemany"):
        real = getattr(utils.CursorWrapper, name)

        def wrapped(self, sql, *a, _real=real, **k):
            _check_sql(sql)
            return _real(self, sql, *a, **k)

        setattr(utils.CursorWrapper, name, wrapped)


def _instrument_xml(cwe):
    try:
        from lxml import etree
    except ImportError:
        etree = None
    if etree is not None and cwe == 611:
        # Every parser the application makes reports the external entities libxml2 loads.
        class Resolver(etree.Resolver):
            def resolve(self, url, pubid, context):
                if url and ("mamori-" + MARK) in url:
                    _reached("external entity", url)
                return None

        real_parser = etree.XMLParser

        class XMLParser(real_parser):
            def __init__(self, *a, **k):
                super().__init__(*a, **k)
                self.resolvers.add(Resolver())

        etree.XMLParser = XMLParser
    if etree is not None and cwe == 643:
        # The payload calls this function only when it is parsed as part of the expression.
        def called(context, *args):
            _reached("xpath", "mamori_" + MARK + "() evaluated")
            return False

        etree.FunctionNamespace(None)["mamori_" + MARK] = called
    if cwe == 643:
        from xml.etree import ElementPath

        for name in ("find", "findall", "findtext", "iterfind"):
            real = getattr(ElementPath, name)

            def wrapped(elem, path, *a, _real=real, **k):
                payload = SPEC.get("payload", "")
                if ("'" in payload or '"' in payload) and payload in _as_text(path):
                    _reached("ElementPath", path)
                return _real(elem, path, *a, **k)

            setattr(ElementPath, name, wrapped)


def _ldap_injected(value, dn):
    """A filter whose parentheses, or a DN whose separators, the payload put there."""
    text = _as_text(value) if isinstance(value, (str, bytes)) else ""
    return ("mamori" + MARK + (",cn=" if dn else ")(")) in text


def _ldap_check(name, args, kwargs, dns, filters):
    """dns/filters: (positional index, keyword) of the DN and filter arguments."""
    for spec, dn in ((dns, True), (filters, False)):
        for index, keyword in spec:
            value = args[index] if index < len(args) else kwargs.get(keyword)
            if _ldap_injected(value, dn):
                _reached(name, value)


class _FakeLdapObject:
    """python-ldap's LDAPObject when python-ldap is not installed: records every call, never
    connects (the sandbox has no network either)."""

    def __init__(self, uri="", *a, **k):
        self.uri = uri

    def __getattr__(self, name):
        dn, filt = ((0, "who"),) if "bind" in name else ((0, "base"),), ()
        if name.startswith("search"):
            filt = ((2, "filterstr"),)
        elif name.startswith("modrdn") or name.startswith("rename"):
            dn = ((0, "dn"), (1, "newrdn"))
        elif name.startswith(("modify", "delete", "add", "compare")):
            dn = ((0, "dn"),)

        def call(*a, **k):
            _ldap_check("ldap." + name, a, k, dn, filt)
            return [] if name.startswith("search") else None

        return call


def _fake_python_ldap():
    import types

    ldap = types.ModuleType("ldap")
    ldap.__mamori_fake__ = True
    for i, name in enumerate(("SCOPE_BASE", "SCOPE_ONELEVEL", "SCOPE_SUBTREE")):
        setattr(ldap, name, i)
    for i, name in enumerate(("MOD_ADD", "MOD_DELETE", "MOD_REPLACE")):
        setattr(ldap, name, i)
    ldap.OPT_REFERRALS, ldap.OPT_PROTOCOL_VERSION, ldap.VERSION3 = 8, 17, 3
    ldap.LDAPError = type("LDAPError", (Exception,), {})
    ldap.INVALID_CREDENTIALS = type("INVALID_CREDENTIALS", (ldap.LDAPError,), {})
    ldap.NO_SUCH_OBJECT = type("NO_SUCH_OBJECT", (ldap.LDAPError,), {})
    ldap.initialize = lambda uri="", *a, **k: _FakeLdapObject(uri)
    ldap.set_option = lambda *a, **k: None
    ldap.LDAPObject = _FakeLdapObject
    flt = types.ModuleType("ldap.filter")
    table = {"\\": r"\5c", "*": r"\2a", "(": r"\28", ")": r"\29", "\x00": r"\00"}

    def escape_filter_chars(value, escape_mode=0):
        return "".join(table.get(c, c) for c in value)

    flt.escape_filter_chars = escape_filter_chars
    flt.filter_format = lambda template, args: template % tuple(escape_filter_chars(a) for a in args)
    dn = types.ModuleType("ldap.dn")

    def escape_dn_chars(value):
        value = re.sub(r'([\\,+"<>;=])', r"\\\1", value)
        if value[:1] in ("#", " "):
            value = "\\" + value
        if value.endswith(" "):
            value = value[:-1] + "\\ "
        return value

    dn.escape_dn_chars = escape_dn_chars
    ldap.filter, ldap.dn = flt, dn
    sys.modules.update({"ldap": ldap, "ldap.filter": flt, "ldap.dn": dn})


def _instrument_ldap():
    try:
        import ldap  # noqa: F401  python-ldap
    except ImportError:
        _fake_python_ldap()
    try:
        import ldap3
    except ImportError:
        ldap3 = None
    if ldap3 is not None:
        conn = ldap3.Connection
        real_init = conn.__init__

        def init(self, server, *a, **k):
            # The mock strategy: nothing leaves the process (the sandbox has no network).
            k["client_strategy"] = ldap3.MOCK_SYNC
            k["auto_bind"] = ldap3.AUTO_BIND_NONE
            if len(a) > 2:
                a = a[:2]
            real_init(self, server, *a, **k)
            try:
                self.open()
            except Exception as e:
                NOTES.append(f"ldap3 mock open: {type(e).__name__}: {e}")

        def bind(self, *a, **k):
            return True

        def recorder(name, real, dns, filters):
            def wrapped(self, *a, **k):
                _ldap_check("ldap3." + name, a, k, dns, filters)
                try:
                    return real(self, *a, **k)
                except Exception as e:  # an injected filter is often invalid: that is the point
                    NOTES.append(f"ldap3 {name}: {type(e).__name__}: {e}")
                    return False

            return wrapped

        conn.__init__ = init
        conn.bind = bind
        dn = ((0, "dn"),)
        for name, dns, filters in (
            ("search", ((0, "search_base"),), ((1, "search_filter"),)),
            ("modify", dn, ()),
            ("delete", dn, ()),
            ("add", dn, ()),
            ("modify_dn", ((0, "dn"), (1, "relative_dn")), ()),
            ("compare", dn, ()),
        ):
            setattr(conn, name, recorder(name, getattr(conn, name), dns, filters))


def _instrument_session():
    def recorder(cls, name):
        real = cls.__setitem__

        def setitem(self, key, value):
            if MARK in json.dumps(value, default=str):
                _reached(name, f"session[{key!r}]")
            return real(self, key, value)

        cls.__setitem__ = setitem

    try:
        from flask.sessions import SecureCookieSession
    except ImportError:
        pass
    else:
        recorder(SecureCookieSession, "flask session")
    try:
        from django.contrib.sessions.backends.base import SessionBase
    except ImportError:
        pass
    else:
        recorder(SessionBase, "django session")


def _check_sql(sql):
    if SPEC["cwe"] == 89 and ((MARK + "'") in _as_text(sql) or (MARK + '"') in _as_text(sql)):
        _reached("sql", sql)


SHADOW = "/tmp/mamori-root"
_DATA_PATH = re.compile(r"""(\b[fFrRbB]{0,2})?(['"])(/(?:srv|var|data|opt|home|mnt)/)""")
_STAND_INS = {".xml": "<?xml version='1.0'?>\n<root/>\n", ".json": "{}\n", ".yaml": "{}\n", ".yml": "{}\n"}


def _shadow_data_paths(work):
    """The application's data directories (``/srv/uploads``, ``/var/app/x.db``) live under a
    private /tmp root in the copy: the sandbox's / is read-only and has none of them. String
    literals are re-rooted (route and redirect lines are left alone), their directories made, and
    files the application would read are stood in for by empty documents."""
    for dirpath, _dirs, files in os.walk(work):
        for name in files:
            if not name.endswith(".py"):
                continue
            path = os.path.join(dirpath, name)
            try:
                with open(path, encoding="utf-8") as f:
                    text = f.read()
            except (OSError, UnicodeDecodeError):
                continue
            lines = text.splitlines(keepends=True)
            changed = False
            for i, line in enumerate(lines):
                code = line.lstrip()
                if code.startswith("@") or re.search(r"route\(|url_prefix|add_url_rule|redirect\(|url_for\(", line):
                    continue
                for m in re.finditer(r"""['"](/tmp/[^'"{}\n]+)""", line):
                    _stand_in(m.group(1))  # the private /tmp starts empty
                new = _DATA_PATH.sub(lambda m: (m.group(1) or "") + m.group(2) + SHADOW + m.group(3), line)
                if new != line:
                    lines[i], changed = new, True
                    for m in re.finditer(re.escape(SHADOW) + r"""/[^'"{}\n]*""", new):
                        _stand_in(m.group(0))
            if changed:
                with open(path, "w", encoding="utf-8") as f:
                    f.write("".join(lines))


def _stand_in(path):
    base, ext = os.path.splitext(path.rstrip("/"))
    try:
        if ext and not path.endswith("/"):
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if ext in _STAND_INS and not os.path.exists(path):
                with open(path, "w") as f:
                    f.write(_STAND_INS[ext])
        else:
            os.makedirs(path, exist_ok=True)
    except OSError:
        pass


def _prepare_tree():
    root = SPEC["root"]
    work = "/tmp/mamori-app"
    if not os.path.exists(work):
        shutil.copytree(root, work, symlinks=True, ignore=shutil.ignore_patterns(".git", ".mamori", "__pycache__", ".venv", "node_modules"))
    _shadow_data_paths(work)
    os.chdir(work)
    sys.path.insert(0, work)
    for k, v in SPEC["env"].items():
        os.environ.setdefault(k, v)
    return work


def _build(call):
    """Build an application from SPEC["apps"] candidates; ``call`` finishes one."""
    errors = []
    for module, attr, kind in SPEC["apps"]:
        try:
            obj = getattr(importlib.import_module(module), attr)
            if kind == "factory":
                app = None
                for args in call.factory_args:
                    try:
                        app = obj(*args)
                        break
                    except TypeError:
                        continue
                if app is None:
                    continue
            elif kind == "blueprint":
                # A blueprint module: mount it (and its siblings) on a fresh application.
                from flask import Blueprint, Flask

                app = Flask(module)
                mod = importlib.import_module(module)
                for value in vars(mod).values():
                    if isinstance(value, Blueprint):
                        app.register_blueprint(value)
            else:
                app = obj
            return call(app)
        except Exception as e:  # the application's own start-up: report, try the next
            errors.append(f"{module}.{attr}: {type(e).__name__}: {e}")
    raise RuntimeError("no application could be built: " + "; ".join(errors))


def _same_function(fn, name=None):
    real = inspect.unwrap(fn)
    code = getattr(real, "__code__", None)
    if code is None or real.__name__ != (name or SPEC["function"]):
        return None
    if os.path.normpath(code.co_filename).endswith(os.path.normpath(SPEC["file"])):
        return real
    return None


def _flask_app(app):
    app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    if not app.secret_key:  # sessions need one; the application's own deployment sets it
        app.secret_key = "mamori-exploit"
    return app


_flask_app.factory_args = (({"TESTING": True, "WTF_CSRF_ENABLED": False},), ())


def _view(app):
    """(endpoint, callable, rule, HTTP method or None) of the view that holds the flow: a view
    function, or a method of a class-based view (``MethodView.post``)."""
    for endpoint, fn in app.view_functions.items():
        real = _same_function(fn)
        method = None
        view_class = getattr(fn, "view_class", None)
        if real is None and view_class is not None:
            if _same_function(getattr(view_class, SPEC["function"], None) or (lambda: None)) is not None:
                real, method = fn, SPEC["function"].upper()
        if real is not None:
            rules = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
            if method is not None:
                rules = [r for r in rules if method in (r.methods or ())] or rules
            if rules:
                return endpoint, real, rules[0], method
    return None, None, None, None


class _Anyone(dict):
    """A stand-in signed-in user for views behind a login decorator (direct mode)."""

    def __missing__(self, key):
        return 1

    def __getattr__(self, name):
        return 1


def _stand_in_user():
    return _Anyone()


def _body_method(methods, kind):
    methods = set(methods or {"GET"}) - {"HEAD", "OPTIONS"} or {"GET"}
    if kind in ("form", "files", "json", "data") and "POST" in methods:
        return "POST"
    return "GET" if "GET" in methods else sorted(methods)[0]


def _request(rule, method=None):
    payload = SPEC["payload"]
    kind = SPEC["source"]
    values = {}
    for arg in rule.arguments:
        values[arg] = payload if (kind == "route" and arg in SPEC["params"]) else "1"
    url = rule.rule
    for arg, value in values.items():
        # "%2E": the client would otherwise resolve "../" before it sends the request.
        v = quote(value, safe="/:;=,&$!'()*+@").replace(".", "%2E")
        url = re.sub(r"<(?:[^:<>]+:)?" + arg + r">", v.replace("\\", "\\\\"), url)
    method = method or _body_method(rule.methods, kind)
    kw = {}
    # The payload in the parameters of this placement, a harmless "1" in the others.
    active = SPEC.get("active") or SPEC["params"]
    params = {p: payload if p in active else "1" for p in SPEC["params"]}
    if kind == "args":
        kw["query_string"] = params
    elif kind == "form":
        kw["data"] = params
    elif kind == "files":
        # The payload is the content and, for a path traversal, the client's file name.
        name = payload if SPEC["cwe"] in (22, 78) else "upload.txt"
        kw["data"] = {p: (io.BytesIO(payload.encode() if isinstance(payload, str) else payload), name) for p in SPEC["params"]}
        kw["content_type"] = "multipart/form-data"
    elif kind == "json":
        kw["json"] = _json_body(payload)
    elif kind == "data":
        kw["data"] = payload
    elif kind == "cookies":
        kw["headers"] = {"Cookie": "; ".join(f"{p}={_cookie_value(v)}" for p, v in params.items())}
    elif kind in ("headers", "meta"):
        kw["headers"] = params
    elif kind == "path":
        kw["query_string"] = params  # request.full_path / request.url carry the query
    return url, method, kw, values


def _cookie_value(value):
    """A cookie value, as a quoted string when it holds separators (";", spaces, quotes)."""
    if re.fullmatch(r"[\w!#$%&'()*+\-./:<=>?@\[\]^`{|}~]*", value):
        return value
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _json_body(payload):
    """A JSON object with the payload at every key path the view reads ("a\x1fb": nested)."""
    body = {}
    for param in SPEC["params"]:
        *outer, last = param.split("\x1f")
        node = body
        for key in outer:
            node = node.setdefault(key, {}) if isinstance(node.get(key, {}), dict) else node
        node[last] = payload if param in (SPEC.get("active") or SPEC["params"]) else "1"
    return body


def _check(body, location, content_type):
    """The response-level sinks: the body for XSS, the Location header for a redirect."""
    cwe = SPEC["cwe"]
    if cwe == 79:
        # A JSON or plain-text body is not rendered as HTML: only an HTML response counts.
        html = not content_type or "html" in content_type.lower()
        if html and SPEC["payload"] in body:
            _reached("response body", "unescaped marker tag", scoped=False)
    elif cwe == 601:
        loc = location or ""
        host = urlparse(loc if "://" in loc or loc.startswith("//") else "").netloc
        if host.endswith("mamori-" + MARK + ".example"):
            _reached("redirect", loc, scoped=False)


def _check_response(resp):
    _check(resp.get_data(as_text=True), resp.headers.get("Location", ""), resp.headers.get("Content-Type", ""))


def run():
    if SPEC["cwe"] in (22, 611):
        os.makedirs(DIR, exist_ok=True)
        with open(os.path.join(DIR, "x.txt"), "w") as f:
            f.write("mamori marker file\n")
        with open(ENTITY, "w") as f:
            f.write("mamori external entity\n")
    _instrument()
    _prepare_tree()
    framework = SPEC.get("framework", "flask")
    if framework == "django":
        target = _DjangoTarget()
    elif framework == "fastapi":
        target = _AsgiTarget()
    else:
        target = _FlaskTarget()
    if not target.find():
        return {"reached": False, "error": f"no route for {SPEC['function']} in {SPEC['file']}"}
    # The payload in every parameter the view reads, then (when it reads several: one of them
    # may have to parse as a number) in each one alone.
    params = SPEC["params"]
    placements = [list(params)] + ([[p] for p in params] if len(params) > 1 else [])
    for active in placements:
        SPEC["active"] = active
        for payload in SPEC["payloads"]:
            SPEC["payload"] = payload
            target.attempt()
            if REACHED:
                break
        if REACHED:
            break
    return {"reached": bool(REACHED), "sinks": REACHED[:10], "notes": NOTES[-5:], "endpoint": target.endpoint}


class _FlaskTarget:
    def find(self):
        self.app = _build(_flask_app)
        self.endpoint, self.view, self.rule, self.method = _view(self.app)
        if self.view is not None:
            return True
        # Not a view: a helper a view calls, a before_request hook, an error handler. Send the
        # payload to every route (and to a missing page); the sink still has to be reached from
        # the finding's own function.
        self.rules = [r for r in self.app.url_map.iter_rules() if r.endpoint != "static"][:40]
        self.endpoint = "(every route)"
        return bool(self.rules) or bool(self.app.error_handler_spec)

    def attempt(self):
        if self.view is None:
            return self._broadcast()
        app, view, rule = self.app, self.view, self.rule
        url, method, kw, values = _request(rule, self.method)
        client = app.test_client()
        # The preferred method first, then the rule's others (the sink may sit in the POST
        # branch of a GET/POST view).
        others = sorted((rule.methods or set()) - {"HEAD", "OPTIONS", method}) if self.method is None else []
        for m in [method, *others]:
            url, m, kw, values = _request(rule, m)
            try:
                resp = client.open(url, method=m, **kw)
                _check_response(resp)
                NOTES.append(f"client {m} {url} -> {resp.status_code}")
            except Exception as e:
                NOTES.append(f"client {m} {url} raised {type(e).__name__}: {e}")
            if REACHED:
                return
        if not REACHED:
            # Behind a login decorator the payload never gets through: call the view itself, in
            # a request context, with a stand-in user (authentication is out of scope here).
            from flask import g
            url, method, kw, values = _request(rule, self.method)  # uploads are streams: afresh
            if not _converted(rule, values):
                return
            try:
                context = app.test_request_context(url, method=method, **kw)
            except Exception as e:  # the payload cannot be carried there (a newline in a header)
                NOTES.append(f"no request with this payload: {type(e).__name__}: {e}")
                return
            with context:
                try:
                    app.preprocess_request()
                    if getattr(g, "user", None) is None:
                        g.user = _Anyone()
                    rv = view(**values)
                    _check_response(app.make_response(rv))
                    NOTES.append("direct call returned")
                except Exception as e:
                    resp = getattr(e, "get_response", None)
                    if resp is not None:
                        try:
                            _check_response(resp())
                        except Exception:
                            pass
                    NOTES.append(f"direct call raised {type(e).__name__}: {e}")

    def _broadcast(self):
        client = self.app.test_client()
        sends = []
        for rule in self.rules:
            for method in sorted((rule.methods or {"GET"}) - {"HEAD", "OPTIONS"}):
                sends.append((rule, method))
        for rule, method in sends:
            url, method, kw, _ = _request(rule, method)
            try:
                resp = client.open(url, method=method, **kw)
                _check_response(resp)
            except Exception as e:
                NOTES.append(f"client {method} {url} raised {type(e).__name__}: {e}")
            if REACHED:
                NOTES.append(f"client {method} {url}")
                return
        # An error handler: a page that does not exist, its path carrying the payload.
        url = "/mamori-missing/" + quote(SPEC["payload"], safe="")
        try:
            resp = client.get(url, query_string={p: SPEC["payload"] for p in SPEC["params"]})
            _check_response(resp)
            NOTES.append(f"client GET {url} -> {resp.status_code}")
        except Exception as e:
            NOTES.append(f"client GET {url} raised {type(e).__name__}: {e}")


def _converted(rule, values):
    """Convert ``values`` as the rule's converters would (in place); False when a converter
    refuses one: then no request reaches the view with it, and a direct call must not either."""
    converters = getattr(rule, "_converters", {}) or {}
    for name, value in list(values.items()):
        conv = converters.get(name)
        if conv is None:
            continue
        try:
            if not re.fullmatch(conv.regex, value):
                raise ValueError(conv.regex)
            values[name] = conv.to_python(value)
        except Exception as e:
            NOTES.append(f"the route's converter refuses {name}={value!r} ({type(e).__name__})")
            return False
    return True


# --- Django --------------------------------------------------------------------------------


def _django_setup():
    import django
    from django.conf import settings

    info = SPEC["django"]
    errors = []
    if not settings.configured and not os.environ.get("DJANGO_SETTINGS_MODULE"):
        for module in info.get("settings", []):
            try:
                importlib.import_module(module)
            except Exception as e:
                errors.append(f"{module}: {type(e).__name__}: {e}")
                continue
            os.environ["DJANGO_SETTINGS_MODULE"] = module
            break
    if not os.environ.get("DJANGO_SETTINGS_MODULE"):
        # A single-file application configures its settings when imported.
        for module in info.get("configures", []):
            if settings.configured:
                break
            try:
                importlib.import_module(module)
            except Exception as e:
                errors.append(f"{module}: {type(e).__name__}: {e}")
        if not settings.configured:
            settings.configure(
                DEBUG=True,
                SECRET_KEY="mamori-exploit",
                ALLOWED_HOSTS=["*"],
                ROOT_URLCONF=info["urlconfs"][0],
                DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
                INSTALLED_APPS=["django.contrib.contenttypes", "django.contrib.auth", "django.contrib.sessions"],
                MIDDLEWARE=["django.contrib.sessions.middleware.SessionMiddleware"],
                SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
                TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "DIRS": [os.getcwd()], "APP_DIRS": True}],
                USE_TZ=True,
            )
    try:
        django.setup()
    except Exception as e:
        raise RuntimeError(f"django.setup() failed: {type(e).__name__}: {e}; " + "; ".join(errors)) from e
    settings.ALLOWED_HOSTS = ["*"]


def _django_patterns(patterns, prefix):
    from django.urls import URLResolver

    for p in patterns:
        if isinstance(p, URLResolver):
            yield from _django_patterns(p.url_patterns, prefix + str(p.pattern))
        else:
            yield prefix + str(p.pattern), p


def _django_url(route, values):
    """A URL for a route or regex pattern, with ``values`` for its named parts."""
    url = route
    for name, value in values.items():
        v = quote(value, safe="/")
        url = re.sub(r"\(\?P<" + name + r">(?:[^()]|\([^()]*\))*\)", lambda m, v=v: v, url)
        url = re.sub(r"<(?:\w+:)?" + name + r">", lambda m, v=v: v, url)
    url = re.sub(r"\^|\$|\\A|\\Z", "", url)
    url = re.sub(r"\\(.)", r"\1", url)
    return "/" + url.lstrip("/")


class _DjangoTarget:
    endpoint = None

    def find(self):
        _django_setup()
        from django.urls import get_resolver

        for route, pattern in _django_patterns(get_resolver().url_patterns, ""):
            callback = pattern.callback
            view_class = getattr(callback, "view_class", None)
            if view_class is not None:
                method = getattr(view_class, SPEC["function"], None)
                if method is not None and _same_function(method):
                    self.route, self.pattern, self.view_class = route, pattern, view_class
                    self.view, self.method = None, SPEC["function"].upper()
                    self.endpoint = pattern.name or route
                    return True
            elif _same_function(callback):
                self.route, self.pattern, self.view_class = route, pattern, None
                self.view, self.method = _same_function(callback), None
                self.endpoint = pattern.name or route
                return True
        return False

    def _arguments(self):
        names = set(re.findall(r"<(?:\w+:)?(\w+)>", self.route)) | set(re.findall(r"\(\?P<(\w+)>", self.route))
        if self.view is not None:
            code = self.view.__code__
            names |= set(code.co_varnames[1 : code.co_argcount + code.co_kwonlyargcount])
        payload, kind = SPEC["payload"], SPEC["source"]
        return {n: payload if (kind == "route" and n in SPEC["params"]) else "1" for n in names if n not in ("self", "request", "args", "kwargs")}

    def _request(self, factory, values):
        payload, kind = SPEC["payload"], SPEC["source"]
        url = _django_url(self.route, {k: v for k, v in values.items()})
        method = self.method or ("POST" if kind in ("form", "files", "json", "data") else "GET")
        params = {p: payload for p in SPEC["params"]}
        kw = {}
        if kind == "args":
            kw["data"] = params
            if method != "GET":
                url += "?" + "&".join(f"{quote(k)}={quote(v)}" for k, v in params.items())
                kw = {}
        elif kind == "form":
            kw["data"] = params
        elif kind == "files":
            from django.core.files.uploadedfile import SimpleUploadedFile

            kw["data"] = {p: SimpleUploadedFile("upload.txt", payload.encode()) for p in SPEC["params"]}
        elif kind == "json":
            kw["data"] = json.dumps(_json_body(payload))
            kw["content_type"] = "application/json"
        elif kind == "data":
            kw["data"] = payload.encode()
            kw["content_type"] = "application/xml" if payload.startswith("<?xml") else "application/octet-stream"
        elif kind == "cookies":
            factory.cookies.load({p: payload for p in SPEC["params"]})
        elif kind == "headers":
            kw["headers"] = params
        elif kind == "meta":
            kw.update(params)
        handler = getattr(factory, method.lower(), None) or factory.get
        return url, method, lambda: handler(url, **kw)

    def attempt(self):
        from django.test import Client, RequestFactory

        values = self._arguments()
        url, method, send = self._request(Client(raise_request_exception=True), values)
        try:
            resp = send()
            self._check(resp)
            NOTES.append(f"client {method} {url} -> {resp.status_code}")
        except Exception as e:
            NOTES.append(f"client {method} {url} raised {type(e).__name__}: {e}")
        if REACHED:
            return
        # A converter that refuses the payload or a login in front of the view: call the view
        # itself with a stand-in user.
        factory = RequestFactory()
        _, method, send = self._request(factory, values)
        kwargs = {k: v for k, v in values.items() if k in self._view_params()}
        try:
            request = send()
            request.user = _Anyone()
            self._session(request)
            if self.view_class is not None:
                view = self.view_class()
                view.setup(request, **kwargs)
                resp = getattr(view, self.method.lower())(request, **kwargs)
            else:
                resp = self.view(request, **kwargs)
            if inspect.isawaitable(resp):
                import asyncio

                resp = asyncio.run(resp)
            self._check(resp)
            NOTES.append("direct call returned")
        except Exception as e:
            NOTES.append(f"direct call raised {type(e).__name__}: {e}")

    def _view_params(self):
        fn = self.view if self.view is not None else getattr(self.view_class, self.method.lower())
        code = inspect.unwrap(fn).__code__
        return set(code.co_varnames[: code.co_argcount + code.co_kwonlyargcount]) | set(self.pattern.default_args or {})

    @staticmethod
    def _session(request):
        try:
            from importlib import import_module

            from django.conf import settings

            request.session = import_module(settings.SESSION_ENGINE).SessionStore()
        except Exception as e:
            NOTES.append(f"no session store: {type(e).__name__}: {e}")

    @staticmethod
    def _check(resp):
        if getattr(resp, "streaming", False):
            body = b"".join(resp.streaming_content)
        else:
            body = getattr(resp, "content", b"")
        _check(body.decode("utf-8", "replace"), resp.get("Location", ""), resp.get("Content-Type", ""))


# --- FastAPI / Starlette ---------------------------------------------------------------------


def _asgi_app(app):
    return app


_asgi_app.factory_args = ((),)


def _asgi_routes(routes, prefix=""):
    for r in routes:
        endpoint = getattr(r, "endpoint", None)
        if endpoint is not None:
            yield prefix + r.path, r
        sub = getattr(r, "routes", None)
        if endpoint is None and sub:
            yield from _asgi_routes(sub, prefix + getattr(r, "path", ""))


def _sample(annotation, payload):
    """A value of ``annotation`` (a pydantic model filled in) whose strings carry ``payload``."""
    import typing

    origin = typing.get_origin(annotation)
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    if origin is typing.Annotated:
        return _sample(args[0], payload)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)) and args:
        return _sample(args[0], payload)
    if origin in (list, set, tuple, frozenset, typing.List, typing.Set):
        return [_sample(args[0] if args else str, payload)]
    if origin is dict or annotation is dict:
        return {"k": payload}
    if annotation in (int,):
        return 1
    if annotation is float:
        return 1.0
    if annotation is bool:
        return False
    fields = getattr(annotation, "model_fields", None)
    if isinstance(fields, dict):
        return {(f.alias or name): _sample(f.annotation, payload) for name, f in fields.items()}
    return payload


class _AsgiTarget:
    endpoint = None

    def find(self):
        self.app = _build(_asgi_app)
        for path, route in _asgi_routes(self.app.routes):
            if _same_function(route.endpoint):
                self.path, self.route, self.endpoint = path, route, getattr(route, "name", path)
                return True
        return False

    def _where(self):
        """(location, name, annotation, field_info) of each parameter FastAPI fills in."""
        dependant = getattr(self.route, "dependant", None)
        if dependant is None:
            return []
        out, seen, todo = [], set(), [dependant]
        while todo:  # the endpoint's own parameters and those of its dependencies
            d = todo.pop(0)
            todo.extend(getattr(d, "dependencies", ()) or ())
            for location in ("path", "query", "header", "cookie", "body"):
                for f in getattr(d, location + "_params", ()) or ():
                    if (location, f.name) in seen:
                        continue
                    seen.add((location, f.name))
                    info = getattr(f, "field_info", None)
                    out.append((location, f.name, getattr(f, "alias", None) or f.name, getattr(info, "annotation", str), info))
        return out

    def _request(self):
        payload, kind = SPEC["payload"], SPEC["source"]
        wanted = set(SPEC["params"])
        path_values, query, headers, cookies, body, form, files = {}, {}, {}, {}, {}, {}, {}
        fields = self._where()
        from fastapi import params as fastapi_params

        body_fields = [f for f in fields if f[0] == "body"]
        for location, name, alias, annotation, info in fields:
            value = _sample(annotation, payload if (kind == "route" and name in wanted) else "1")
            if location == "path":
                path_values[name] = str(value)
            elif location == "query":
                query[alias] = value
            elif location == "header":
                headers[alias.replace("_", "-")] = str(value)
            elif location == "cookie":
                cookies[alias] = str(value)
            elif isinstance(info, fastapi_params.File):
                files[alias] = ("upload.txt", str(payload if name in wanted else "1").encode())
            elif isinstance(info, fastapi_params.Form):
                form[alias] = value
            elif len(body_fields) == 1 and not getattr(info, "embed", False):
                body = value
            else:
                body[alias] = value
        for name in re.findall(r"{(\w+)(?::\w+)?}", self.path):
            path_values.setdefault(name, payload if (kind == "route" and name in wanted) else "1")
        params = {p: payload for p in wanted}
        if kind == "args":
            query.update(params)
        elif kind == "form":
            form.update(params)
        elif kind == "files":
            files.update({p: ("upload.txt", payload.encode()) for p in wanted})
        elif kind == "json":
            body = dict(body) if isinstance(body, dict) else {}
            body.update(_json_body(payload))
        elif kind == "cookies":
            cookies.update(params)
        elif kind in ("headers", "meta"):
            headers.update(params)
        url = self.path
        for name, value in path_values.items():
            # "%2E": the client would otherwise resolve "../" before it sends the request.
            url = re.sub(r"{" + name + r"(:path)?}", lambda m, v=value: quote(v, safe="/" if m.group(1) else "").replace(".", "%2E"), url)
        url = re.sub(r"{(\w+):\w+}", "1", url)
        kw = {"params": query, "headers": headers}
        if kind == "data":
            kw["content"] = payload.encode()
        elif files:
            kw["files"] = files
            kw["data"] = form
        elif form:
            kw["data"] = form
        elif body or body_fields or kind == "json":
            kw["json"] = body
        method = _body_method(getattr(self.route, "methods", None), "json" if "json" in kw or "content" in kw or form or files else kind)
        return url, method, kw, cookies

    def attempt(self):
        status = self._send()
        overrides = getattr(self.app, "dependency_overrides", None)
        if REACHED or status not in (401, 403) or overrides is None:
            return
        # Behind an authentication dependency: stand in a signed-in user and send it again.
        names = re.compile(r"user|auth|login|token|current|admin|permission|verify", re.I)
        todo, stand_ins = list(getattr(self.route, "dependant", None) and self.route.dependant.dependencies or ()), []
        while todo:
            d = todo.pop(0)
            todo.extend(d.dependencies or ())
            if d.call is not None and names.search(getattr(d.call, "__name__", "")):
                stand_ins.append(d.call)
        for call in stand_ins:
            overrides[call] = _stand_in_user
        try:
            if stand_ins:
                NOTES.append("stand-in user for " + ", ".join(c.__name__ for c in stand_ins))
                self._send()
        finally:
            for call in stand_ins:
                overrides.pop(call, None)

    def _send(self):
        from starlette.testclient import TestClient

        url, method, kw, cookies = self._request()
        try:
            with TestClient(self.app, raise_server_exceptions=True, follow_redirects=False, cookies=cookies) as client:
                resp = client.request(method, url, **kw)
            _check(resp.text, resp.headers.get("location", ""), resp.headers.get("content-type", ""))
            NOTES.append(f"client {method} {url} -> {resp.status_code}")
            return resp.status_code
        except Exception as e:
            NOTES.append(f"client {method} {url} raised {type(e).__name__}: {e}")
            return None


def _result():
    try:
        result = run()
    except Exception as e:
        result = {"reached": False, "error": traceback.format_exc()[-1500:]}
    out = os.environ.get("MAMORI_EXPLOIT_OUT")
    if out:
        with open(out, "w") as f:
            json.dump(result, f)
    return result


def test_exploit():
    result = _result()
    assert result["reached"], result


if __name__ == "__main__":
    _result()
'''
