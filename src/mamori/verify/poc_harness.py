# ruff: noqa
# mypy: ignore-errors
"""The body of every generated exploit test (a template: the generator prepends ``SPEC``).

It runs inside the sandbox with the interpreter Mamori runs on: it copies the repository into
the sandbox's private /tmp (so the application may write its instance files), instruments the
sinks, builds the Flask application, sends a harmless marker payload to the route where the
flow starts, and reports whether the payload reached the sink in a dangerous form. Sinks that
would act (subprocess, os.system) are blocked, never run. The verdict is written to
/mamori-out/exploit.json; ``test_exploit`` fails when the payload did not get through.
"""

HARNESS = r'''
import builtins, importlib, inspect, json, os, shlex, shutil, sys, traceback
from urllib.parse import urlparse

MARK = SPEC["marker"]
REACHED = []
NOTES = []
SAFE_LOADERS = ("SafeLoader", "CSafeLoader", "BaseLoader", "CBaseLoader")
DIR = "/tmp/mamori-" + MARK


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
            return True
        f = f.f_back
    return False


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
    return any(tokens[i] == ";" and tokens[i + 1 : i + 3] == ["echo", MARK] for i in range(len(tokens) - 2))


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
        raise PermissionError("blocked by the Mamori exploit harness")
    elif event == "os.system" and cwe == 78:
        if _shell_injected(_as_text(args[0])):
            _reached("os.system", args[0])
        raise PermissionError("blocked by the Mamori exploit harness")
    elif event in ("os.exec", "os.posix_spawn", "os.spawn") and cwe == 78:
        raise PermissionError("blocked by the Mamori exploit harness")
    elif event == "exec" and cwe in (94, 95):
        code = args[0]
        names = getattr(code, "co_names", ())
        if ("mamori_" + MARK) in names:
            _reached("exec/eval", "mamori_" + MARK)


def _instrument():
    sys.addaudithook(_audit)
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
        for name in ("unsafe_load", "full_load"):
            real = getattr(yaml, name, None)
            if real is not None:

                def unsafe(stream, _real=real, _name=name):
                    text = stream.read() if hasattr(stream, "read") else stream
                    if MARK in _as_text(text):
                        _reached("yaml." + _name, "")
                    return _real(text)

                setattr(yaml, name, unsafe)


def _check_sql(sql):
    if SPEC["cwe"] == 89 and ((MARK + "'") in _as_text(sql) or (MARK + '"') in _as_text(sql)):
        _reached("sql", sql)


def _app():
    root = SPEC["root"]
    work = "/tmp/mamori-app"
    if not os.path.exists(work):
        shutil.copytree(root, work, symlinks=True, ignore=shutil.ignore_patterns(".git", ".mamori", "__pycache__", ".venv", "node_modules"))
    os.chdir(work)
    sys.path.insert(0, work)
    for k, v in SPEC["env"].items():
        os.environ.setdefault(k, v)
    errors = []
    for module, attr, kind in SPEC["apps"]:
        try:
            obj = getattr(importlib.import_module(module), attr)
            if kind == "factory":
                app = None
                for args in (({"TESTING": True, "WTF_CSRF_ENABLED": False},), ()):
                    try:
                        app = obj(*args)
                        break
                    except TypeError:
                        continue
                if app is None:
                    continue
            else:
                app = obj
            app.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
            return app
        except Exception as e:  # the application's own start-up: report, try the next
            errors.append(f"{module}.{attr}: {type(e).__name__}: {e}")
    raise RuntimeError("no application could be built: " + "; ".join(errors))


def _view(app):
    for endpoint, fn in app.view_functions.items():
        real = inspect.unwrap(fn)
        code = getattr(real, "__code__", None)
        if code is None or real.__name__ != SPEC["function"]:
            continue
        if os.path.normpath(code.co_filename).endswith(os.path.normpath(SPEC["file"])):
            rules = [r for r in app.url_map.iter_rules() if r.endpoint == endpoint]
            if rules:
                return endpoint, real, rules[0]
    return None, None, None


class _Anyone(dict):
    """A stand-in signed-in user for views behind a login decorator (direct mode)."""

    def __missing__(self, key):
        return 1

    def __getattr__(self, name):
        return 1


def _request(rule):
    payload = SPEC["payload"]
    kind = SPEC["source"]
    values = {}
    for arg in rule.arguments:
        values[arg] = payload if (kind == "route" and arg in SPEC["params"]) else "1"
    url = rule.rule
    for arg, value in values.items():
        url = __import__("re").sub(r"<(?:[^:<>]+:)?" + arg + r">", value.replace("\\", "\\\\"), url)
    methods = rule.methods or {"GET"}
    method = "POST" if kind in ("form", "files", "json", "data") and "POST" in methods else ("GET" if "GET" in methods else sorted(methods - {"HEAD", "OPTIONS"})[0])
    kw = {}
    params = {p: payload for p in SPEC["params"]}
    if kind == "args":
        kw["query_string"] = params
    elif kind == "form":
        kw["data"] = params
    elif kind == "files":
        import io
        kw["data"] = {p: (io.BytesIO(payload.encode() if isinstance(payload, str) else payload), "upload.txt") for p in SPEC["params"]}
        kw["content_type"] = "multipart/form-data"
    elif kind == "json":
        kw["json"] = params
    elif kind == "data":
        kw["data"] = payload
    elif kind == "cookies":
        kw["headers"] = {"Cookie": "; ".join(f"{p}={payload}" for p in SPEC["params"])}
    elif kind == "headers":
        kw["headers"] = params
    return url, method, kw, values


def _check_response(resp):
    cwe = SPEC["cwe"]
    if cwe == 79:
        body = resp.get_data(as_text=True)
        if SPEC["payload"] in body:
            _reached("response body", "unescaped marker tag", scoped=False)
    elif cwe == 601:
        loc = resp.headers.get("Location", "")
        host = urlparse(loc if "://" in loc or loc.startswith("//") else "").netloc
        if host.endswith("mamori-" + MARK + ".example"):
            _reached("redirect", loc, scoped=False)


def run():
    if SPEC["cwe"] == 22:
        os.makedirs(DIR, exist_ok=True)
        with open(os.path.join(DIR, "x.txt"), "w") as f:
            f.write("mamori marker file\n")
    _instrument()
    app = _app()
    endpoint, view, rule = _view(app)
    if view is None:
        return {"reached": False, "error": f"no route for {SPEC['function']} in {SPEC['file']}"}
    for payload in SPEC["payloads"]:
        SPEC["payload"] = payload
        _attempt(app, view, rule)
        if REACHED:
            break
    return {"reached": bool(REACHED), "sinks": REACHED[:10], "notes": NOTES[-5:], "endpoint": endpoint}


def _attempt(app, view, rule):
    url, method, kw, values = _request(rule)
    client = app.test_client()
    try:
        resp = client.open(url, method=method, **kw)
        _check_response(resp)
        NOTES.append(f"client {method} {url} -> {resp.status_code}")
    except Exception as e:
        NOTES.append(f"client {method} {url} raised {type(e).__name__}: {e}")
    if not REACHED:
        # Behind a login decorator the payload never gets through: call the view itself, in a
        # request context, with a stand-in user (authentication is out of scope here).
        from flask import g
        url, method, kw, values = _request(rule)  # uploads are streams: build them afresh
        with app.test_request_context(url, method=method, **kw):
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
