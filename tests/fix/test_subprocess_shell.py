from __future__ import annotations

from pathlib import Path

from mamori.domain import RiskClass
from mamori.fix.codemods.subprocess_shell import SubprocessShellFixer
from mamori.fix.interface import Declined
from tests.fix.helpers import apply_fixer, assert_idempotent, line_of, make_finding, reader

FIXER = SubprocessShellFixer()

SRC = """import subprocess


def export(archive, export_dir, name):
    subprocess.run(f"tar -czf {archive} -C {export_dir} {name}", shell=True, check=True)
"""


def test_fstring_becomes_argument_list() -> None:
    fixed = apply_fixer(FIXER, SRC, cwe=78, at="subprocess.run")
    assert fixed == SRC.replace(
        'subprocess.run(f"tar -czf {archive} -C {export_dir} {name}", shell=True, check=True)',
        'subprocess.run(["tar", "-czf", archive, "-C", export_dir, name], check=True)',
    )
    assert_idempotent(FIXER, fixed, cwe=78, at="subprocess.run")


def test_concat_percent_and_format() -> None:
    src = (
        "import subprocess\n"
        'a = subprocess.call("ls -l " + path, shell=True)\n'
        'b = subprocess.check_output("cat %s" % path, shell=True)\n'
        'c = subprocess.Popen("gzip -k {}".format(path), shell=True)\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="a =")
    assert 'a = subprocess.call(["ls", "-l", path])\n' in fixed
    fixed = apply_fixer(FIXER, src, cwe=78, at="b =")
    assert 'b = subprocess.check_output(["cat", path])\n' in fixed
    fixed = apply_fixer(FIXER, src, cwe=78, at="c =")
    assert 'c = subprocess.Popen(["gzip", "-k", path])\n' in fixed


def test_value_glued_to_literal_becomes_fstring_argument() -> None:
    src = 'import subprocess\nsubprocess.run(f"curl --output={out} {url}", shell=True)\n'
    fixed = apply_fixer(FIXER, src, cwe=78, at="subprocess.run")
    assert fixed == 'import subprocess\nsubprocess.run(["curl", f"--output={out}", url])\n'


def test_shell_syntax_runs_as_a_constant_sh_script_with_positional_values() -> None:
    for cmd, script in (
        ('f"ls {d} | wc -l"', """'ls "${1}" | wc -l'"""),
        ('f"cd {d} && make"', """'cd "${1}" && make'"""),
        ('"echo " + x + " > out.txt"', """'echo "${1}" > out.txt'"""),
        ('f"rm {d}/*"', """'rm "${1}"/*'"""),
        ("f\"grep '{d}' log | wc -l\"", """"grep ''\\"${1}\\"'' log | wc -l\""""),
        ('f"LANG={d} cal -3"', """'LANG="${1}" cal -3'"""),
    ):
        src = f"import subprocess\nsubprocess.run({cmd}, shell=True)\n"
        fixed = apply_fixer(FIXER, src, cwe=78, at="subprocess.run")
        value = "x" if "x +" in cmd else "d"
        expected = f'import subprocess\nsubprocess.run(["sh", "-c", {script}, "sh", {value}])\n'
        assert fixed == expected, cmd
        assert_idempotent(FIXER, fixed, cwe=78, at="subprocess.run")


def test_sh_script_behaves_like_the_shell_command_for_benign_input(tmp_path: Path) -> None:
    src = 'import os\n\n\ndef count(d):\n    return os.popen("ls %s | wc -l" % d).read()\n'
    fixed = apply_fixer(FIXER, src, cwe=78, at="os.popen")
    assert fixed is not None
    assert """["sh", "-c", 'ls "${1}" | wc -l', "sh", d]""" in fixed
    (tmp_path / "a").write_text("")
    (tmp_path / "b").write_text("")
    assert str(_run_patched(fixed, "count", str(tmp_path))).strip() == "2"
    marker = tmp_path / "pwned"
    _run_patched(fixed, "count", f"{tmp_path}; touch {marker}")
    assert not marker.exists()


def test_declines_a_value_with_a_format_specification() -> None:
    src = 'import subprocess\nsubprocess.run(f"seq {n:03d} | wc -l", shell=True)\n'
    result = FIXER.fix(make_finding(cwe=78, line=2), reader({"app/views.py": src}))
    assert isinstance(result, Declined)
    assert "format specification" in result.reason


def test_declines_without_shell_true_or_for_a_plain_variable() -> None:
    src = 'import subprocess\nsubprocess.run(f"ls {d}")\nsubprocess.run(cmd, shell=True)\n'
    assert apply_fixer(FIXER, src, cwe=78, at='f"ls') is None
    result = FIXER.fix(make_finding(cwe=78, line=3), reader({"app/views.py": src}))
    assert isinstance(result, Declined) and "`cmd`" in result.reason


def test_quoted_literal_is_medium_risk() -> None:
    src = (
        "import subprocess\nsubprocess.run(f\"git commit -m 'nightly build' {path}\", shell=True)\n"
    )
    finding = make_finding(cwe=78, line=line_of(src, "subprocess.run"), path="app/views.py")
    proposal = FIXER.fix(finding, reader({"app/views.py": src}))
    assert proposal is not None
    assert '["git", "commit", "-m", "nightly build", path]' in proposal.changes["app/views.py"]
    assert proposal.risk is RiskClass.MEDIUM


def test_os_system_becomes_subprocess_run() -> None:
    src = 'import os\n\n\ndef clean(d):\n    os.system(f"rm -rf {d}")\n'
    fixed = apply_fixer(FIXER, src, cwe=78, at="os.system")
    assert fixed == (
        "import os\nimport subprocess\n\n\ndef clean(d):\n"
        '    subprocess.run(["rm", "-rf", d], check=False).returncode\n'
    )


def test_os_popen_read_becomes_subprocess_run_stdout() -> None:
    from tests.fix.helpers import fix_and_rescan

    src = (
        "import os\nfrom flask import request\n\n\ndef ping():\n"
        '    host = request.args["host"]\n'
        '    return os.popen("ping -c 1 " + host).read()\n'
    )
    fixed = fix_and_rescan(FIXER, src, rule="command-injection", cwe=78)
    assert (
        '    return subprocess.run(["ping", "-c", "1", host], capture_output=True, text=True,'
        " check=False).stdout\n"
    ) in fixed
    assert "import subprocess\n" in fixed


def _run_patched(src: str, func: str, *args: object, **kwargs: object) -> object:
    namespace: dict[str, object] = {}
    exec(compile(src, "app/views.py", "exec"), namespace)
    fn = namespace[func]
    assert callable(fn)
    return fn(*args, **kwargs)


def test_command_built_in_a_variable_becomes_a_list_and_still_runs(tmp_path: Path) -> None:
    src = (
        "import subprocess\n\n\n"
        "def count(path):\n"
        '    cmd = "wc -c " + path  # count bytes\n'
        "    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="subprocess.run")
    assert fixed is not None
    assert '    cmd = ["wc", "-c", path]  # count bytes\n' in fixed
    assert "subprocess.run(cmd, capture_output=True, text=True)" in fixed
    assert_idempotent(FIXER, fixed, cwe=78, at="subprocess.run")
    data = tmp_path / "data.txt"
    data.write_text("12345")
    out = _run_patched(fixed, "count", str(data))
    assert isinstance(out, str) and out.split()[0] == "5"  # benign input: same result
    marker = tmp_path / "pwned"
    _run_patched(fixed, "count", f"{data}; touch {marker}")
    assert not marker.exists()  # the attack is one (missing) file name, no second command


def test_joined_list_command(tmp_path: Path) -> None:
    src = (
        "import subprocess\n\n\n"
        "def show(name):\n"
        '    cmd = " ".join(["cat", name, "/dev/null"])\n'
        "    return subprocess.check_output(cmd, shell=True)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="check_output")
    assert fixed is not None
    assert '    cmd = ["cat", name, "/dev/null"]\n' in fixed
    assert "    return subprocess.check_output(cmd)\n" in fixed
    f = tmp_path / "a.txt"
    f.write_text("hello")
    assert _run_patched(fixed, "show", str(f)) == b"hello"


def test_variable_used_elsewhere_keeps_the_string_and_gets_the_list_at_the_call(
    tmp_path: Path,
) -> None:
    src = (
        "import os\n\n\n"
        "def touch(name):\n"
        '    cmd = "touch " + name\n'
        "    print(cmd)\n"
        "    return os.system(cmd)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="os.system")
    assert fixed is not None
    assert '    cmd = "touch " + name\n    print(cmd)\n' in fixed  # the log line is unchanged
    assert '    return subprocess.run(["touch", name], check=False).returncode\n' in fixed
    assert "import subprocess\n" in fixed
    assert_idempotent(FIXER, fixed, cwe=78, at="subprocess.run")
    target = tmp_path / "made"
    assert _run_patched(fixed, "touch", str(target)) == 0
    assert target.exists()
    marker = tmp_path / "pwned"
    _run_patched(fixed, "touch", f"{tmp_path}/x; touch {marker}")
    assert not marker.exists()


def test_variable_used_elsewhere_with_a_value_changed_in_between_keeps_the_string() -> None:
    src = (
        "import os\n\n\n"
        "def touch(name):\n"
        '    cmd = "touch " + name\n'
        "    print(cmd)\n"
        '    name = name + ".bak"\n'
        "    return os.system(cmd)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="os.system")
    assert fixed is not None
    # rebuilding the list at the call would read the new `name`: the string stays, quoted
    assert '    cmd = "touch " + shlex.quote(name)\n' in fixed
    assert "    return os.system(cmd)\n" in fixed


def test_getoutput_becomes_run_of_a_constant_script_with_the_same_output(tmp_path: Path) -> None:
    src = 'import subprocess\n\n\ndef lines(p):\n    return subprocess.getoutput("wc -l " + p)\n'
    fixed = apply_fixer(FIXER, src, cwe=78, at="getoutput")
    assert fixed is not None
    assert (
        """    return subprocess.run(["sh", "-c", 'wc -l "${1}"', "sh", p],"""
        """ stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,"""
        """ check=False).stdout.removesuffix("\\n")\n"""
    ) in fixed
    assert "getoutput" not in fixed
    assert_idempotent(FIXER, fixed, cwe=78, at="subprocess.run")
    data = tmp_path / "data.txt"
    data.write_text("a\nb\n")
    original = str(_run_patched(src, "lines", str(data)))
    assert _run_patched(fixed, "lines", str(data)) == original  # same text, newline stripped
    missing = str(tmp_path / "missing")
    # a failing command still returns the shell's text (stderr merged), never raises
    assert "No such file" in str(_run_patched(fixed, "lines", missing))
    out = str(_run_patched(fixed, "lines", "/dev/null; echo $(id)"))
    assert "uid=" not in out and "No such file" in out  # one odd file name, nothing run


def test_getstatusoutput_keeps_the_shell_and_quotes_the_value() -> None:
    src = (
        "import subprocess\n\n\n"
        'def lines(p):\n    return subprocess.getstatusoutput("wc -l " + p)\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="getstatusoutput")
    assert fixed is not None
    assert 'subprocess.getstatusoutput("wc -l " + shlex.quote(p))' in fixed


def test_os_popen_with_variable_and_rescan() -> None:
    from tests.fix.helpers import fix_and_rescan

    src = (
        "import os\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
        '@app.route("/dns")\n'
        "def dns():\n"
        '    cmd = "nslookup %s" % request.args["d"]\n'
        "    return os.popen(cmd).read()\n"
    )
    fixed = fix_and_rescan(FIXER, src, rule="command-injection", cwe=78)
    assert '    cmd = ["nslookup", request.args["d"]]\n' in fixed
    assert "subprocess.run(cmd, capture_output=True, text=True, check=False).stdout" in fixed


def test_declines_a_command_that_comes_whole_from_outside() -> None:
    src = "import subprocess\n\n\ndef run(spec):\n    return subprocess.run(spec, shell=True)\n"
    result = FIXER.fix(make_finding(cwe=78, line=5), reader({"app/views.py": src}))
    assert isinstance(result, Declined)


def test_numbers_formatted_into_the_command_become_str_arguments() -> None:
    src = (
        "import subprocess\n\n\n"
        "def ping(host, count=1):\n"
        '    cmd = "echo -c {} {}".format(count, host)\n'
        "    return subprocess.check_output(cmd, shell=True)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="check_output")
    assert fixed is not None
    assert '    cmd = ["echo", "-c", str(count), host]\n' in fixed
    assert _run_patched(fixed, "ping", "localhost") == b"-c 1 localhost\n"
    assert _run_patched(fixed, "ping", "x; id") == b"-c 1 x; id\n"


def test_words_list_joined_for_the_shell_is_passed_as_the_list() -> None:
    src = (
        "import subprocess\n\n\n"
        "def compress(filename):\n"
        '    args = ["gzip", "-k", filename]\n'
        '    subprocess.call(" ".join(args), shell=True)\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="subprocess.call")
    assert fixed is not None
    assert "    subprocess.call(args)\n" in fixed
    assert_idempotent(FIXER, fixed, cwe=78, at="subprocess.call")


def test_command_built_in_steps_keeps_the_shell_and_quotes_each_value(tmp_path: Path) -> None:
    src = (
        "import subprocess\n\n\n"
        "def grep(pattern, path, ignore_case=False):\n"
        '    cmd = "grep -c " + pattern\n'
        "    if ignore_case:\n"
        '        cmd += " -i"\n'
        '    cmd += " " + path\n'
        "    return subprocess.run(cmd, shell=True, capture_output=True, text=True).stdout\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="subprocess.run")
    assert fixed is not None
    assert '    cmd = "grep -c " + shlex.quote(pattern)\n' in fixed
    assert '        cmd += " -i"\n' in fixed
    assert '    cmd += " " + shlex.quote(path)\n' in fixed
    assert_idempotent(FIXER, fixed, cwe=78, at="subprocess.run")
    f = tmp_path / "a.txt"
    f.write_text("x\nx\ny\n")
    assert _run_patched(fixed, "grep", "x", str(f)) == "2\n"
    marker = tmp_path / "pwned"
    _run_patched(fixed, "grep", f"x {f}; touch {marker};", str(f))
    assert not marker.exists()


def test_declines_a_program_that_is_not_a_literal() -> None:
    src = (
        "import subprocess\n\n\n"
        "def v(prog):\n    return subprocess.check_output([prog, '--version'])\n"
    )
    result = FIXER.fix(make_finding(cwe=78, line=5), reader({"app/views.py": src}))
    assert isinstance(result, Declined) and "allow-list" in result.reason


def test_sh_c_list_with_a_built_script_gets_positional_parameters() -> None:
    from tests.fix.helpers import fix_and_rescan

    src = (
        "import subprocess\nfrom flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
        '@app.post("/thumbs")\n'
        "def thumb():\n"
        '    name = request.files["image"].filename\n'
        '    script = f"convert /tmp/in.bin -resize 128x128 /srv/thumbs/{name}"\n'
        '    subprocess.run(["sh", "-c", script], check=True)\n'
        '    return {"thumb": name}\n'
    )
    fixed = fix_and_rescan(FIXER, src, rule="command-injection", cwe=78)
    assert """    script = 'convert /tmp/in.bin -resize 128x128 /srv/thumbs/"${1}"'\n""" in fixed
    assert '    subprocess.run(["sh", "-c", script, "sh", name], check=True)\n' in fixed


def test_declines_a_value_holding_several_words_from_elsewhere() -> None:
    src = (
        "import subprocess\n\n\ndef transcode(src, flag_list):\n"
        '    flags = " ".join(flag_list)\n'
        '    return subprocess.call(f"ffmpeg -i {src} {flags} out.mp4", shell=True)\n'
    )
    result = FIXER.fix(make_finding(cwe=78, line=6), reader({"app/views.py": src}))
    assert isinstance(result, Declined) and "several words" in result.reason


def test_words_joined_from_a_comprehension_become_list_words(tmp_path: Path) -> None:
    src = (
        "import subprocess\n\n\ndef transcode(src, **options):\n"
        '    flags = " ".join(f"-{k} {v}" for k, v in options.items())\n'
        '    return subprocess.check_output(f"echo -i {src} {flags} out.mp4", shell=True)\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="check_output")
    assert fixed is not None
    assert '    flags = [word for k, v in options.items() for word in (f"-{k}", v)]\n' in fixed
    assert '    return subprocess.check_output(["echo", "-i", src, *flags, "out.mp4"])\n' in fixed
    assert_idempotent(FIXER, fixed, cwe=78, at="check_output")
    options = {"vcodec": "libx264", "crf": "23"}
    benign = _run_patched(fixed, "transcode", "in.mp4", **options)
    assert benign == _run_patched(src, "transcode", "in.mp4", **options)
    marker = tmp_path / "pwned"
    out = _run_patched(fixed, "transcode", "in.mp4", crf=f"1; touch {marker}")
    assert not marker.exists() and out == f"-i in.mp4 -crf 1; touch {marker} out.mp4\n".encode()


def test_shell_quoted_items_of_a_list_comprehension_become_the_values(tmp_path: Path) -> None:
    src = (
        "import os\n\n\ndef show(names):\n"
        '    quoted = ["\'" + n + "\'" for n in names]\n'
        '    return os.system("ls -d " + " ".join(quoted))\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="os.system")
    assert fixed is not None
    assert "    quoted = [n for n in names]\n" in fixed
    assert '    return subprocess.run(["ls", "-d", *quoted], check=False).returncode\n' in fixed
    (tmp_path / "a b").mkdir()
    assert _run_patched(fixed, "show", [str(tmp_path), str(tmp_path / "a b")]) == 0
    marker = tmp_path / "pwned"
    _run_patched(fixed, "show", [f"x'; touch {marker}; '"])
    assert not marker.exists()


def test_a_temporary_path_stays_inside_the_literal_it_was_written_in() -> None:
    src = (
        "import subprocess\n\n\ndef backup(folder, opts):\n"
        '    subprocess.run(f"tar czf /tmp/backup.tgz {folder}", shell=True, check=True)\n'
        "    subprocess.run(\n"
        '        f"ffmpeg -i {opts["src"]} -vf scale={opts.get("width", 640)}:-1 /tmp/o.mp4",\n'
        "        shell=True,\n    )\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="tar czf")
    assert fixed is not None
    # as a list, "/tmp/backup.tgz" would become a literal of its own (a hard-coded temp file
    # to linters, which the f-string did not show): the literal stays whole in a script
    assert (
        """    subprocess.run(["sh", "-c", 'tar czf /tmp/backup.tgz "${1}"', "sh", folder],"""
        " check=True)\n"
    ) in fixed
    assert_idempotent(FIXER, fixed, cwe=78, at="tar czf")
    fixed = apply_fixer(FIXER, src, cwe=78, at="ffmpeg")
    assert fixed is not None
    assert (
        """        ["sh", "-c", 'ffmpeg -i "${1}" -vf scale="${2}":-1 /tmp/o.mp4', "sh","""
        """ opts["src"], str(opts.get("width", 640))],\n"""
    ) in fixed  # a `.get` with a number as default may be a number: passed as str()


def test_os_popen_kept_in_a_variable_and_read_becomes_stringio(tmp_path: Path) -> None:
    src = (
        "import os\n\n\ndef listing(d):\n"
        '    stream = os.popen("ls %s" % d)\n'
        "    first = stream.readline()\n"
        "    rest = [line for line in stream]\n"
        "    stream.close()\n"
        "    return first, rest\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="os.popen")
    assert fixed is not None
    assert (
        '    stream = io.StringIO(subprocess.run(["ls", d], stdout=subprocess.PIPE, text=True,'
        " check=False).stdout)\n"
    ) in fixed
    assert "import io\n" in fixed and "import subprocess\n" in fixed
    assert_idempotent(FIXER, fixed, cwe=78, at="stream =")
    for name in ("a", "b", "c"):
        (tmp_path / name).write_text("")
    assert _run_patched(fixed, "listing", str(tmp_path)) == _run_patched(
        src, "listing", str(tmp_path)
    )
    marker = tmp_path / "pwned"
    _run_patched(fixed, "listing", f"{tmp_path}; touch {marker}")
    assert not marker.exists()


def test_os_popen_whose_exit_status_is_used_keeps_the_pipe() -> None:
    src = (
        "import os\n\n\ndef listing(d):\n"
        '    stream = os.popen("ls " + d)\n'
        "    text = stream.read()\n"
        "    return text, stream.close()\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="os.popen")
    assert fixed is not None
    assert '    stream = os.popen("ls " + shlex.quote(d))\n' in fixed


def test_command_returned_by_a_lambda_becomes_a_list(tmp_path: Path) -> None:
    src = (
        "import os\n\n\ndef later(target):\n"
        '    action = lambda: "touch " + target\n'
        "    return os.system(action())\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="os.system")
    assert fixed is not None
    # the lambda ran at the call: the list is built there, and the lambda (unused now) goes
    assert "lambda" not in fixed
    assert '    return subprocess.run(["touch", target], check=False).returncode\n' in fixed
    assert_idempotent(FIXER, fixed, cwe=78, at="subprocess.run")
    made = tmp_path / "made"
    assert _run_patched(fixed, "later", str(made)) == 0 and made.exists()
    marker = tmp_path / "pwned"
    _run_patched(fixed, "later", f"{made}; touch {marker}")
    assert not marker.exists()


def test_lambda_used_elsewhere_too_stays() -> None:
    src = (
        "import os\n\n\ndef later(target):\n"
        '    action = lambda: "touch " + target\n'
        "    print(action())\n"
        "    return os.system(action())\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="os.system")
    assert fixed is not None
    assert '    action = lambda: "touch " + target\n    print(action())\n' in fixed
    assert '    return subprocess.run(["touch", target], check=False).returncode\n' in fixed


def test_percent_with_a_mapping_becomes_a_list(tmp_path: Path) -> None:
    src = (
        "import subprocess\n\n\ndef show(src, size):\n"
        '    params = {"src": src, "size": size, "n": 2}\n'
        '    a = subprocess.check_output("echo img/%(src)s -r %(size)s -n %(n)s" % params,'
        " shell=True)\n"
        '    b = subprocess.check_output("echo %(x)s %(x)s" % {"x": src}, shell=True)\n'
        "    return a, b\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="a =")
    assert fixed is not None
    assert (
        """    a = subprocess.check_output(["echo", f'img/{params["src"]}', "-r","""
        """ params["size"], "-n", str(params["n"])])\n"""
    ) in fixed
    assert_idempotent(FIXER, fixed, cwe=78, at="a =")
    fixed = apply_fixer(FIXER, fixed, cwe=78, at="b =")
    assert fixed is not None
    assert '    b = subprocess.check_output(["echo", src, src])\n' in fixed
    assert _run_patched(fixed, "show", "a.png", "10x10") == (
        b"img/a.png -r 10x10 -n 2\n",
        b"a.png a.png\n",
    )
    marker = tmp_path / "pwned"
    _run_patched(fixed, "show", f"x; touch {marker}", "1")
    assert not marker.exists()


def test_command_built_by_a_method_of_a_local_dataclass(tmp_path: Path) -> None:
    src = (
        "import subprocess\nfrom dataclasses import dataclass\n\n\n"
        "@dataclass\nclass Job:\n    name: str\n    count: int\n\n"
        "    def command_line(self) -> str:\n"
        '        """The shell command."""\n'
        '        return f"echo {self.name} {self.count} | tr a-z A-Z"\n\n\n'
        "def run(name):\n"
        "    job = Job(name=name, count=3)\n"
        "    return subprocess.check_output(job.command_line(), shell=True)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="check_output")
    assert fixed is not None
    assert (
        """    return subprocess.check_output(["sh", "-c", 'echo "${1}" "${2}" | tr a-z A-Z',"""
        """ "sh", job.name, str(job.count)])\n"""
    ) in fixed
    assert 'return f"echo {self.name} {self.count} | tr a-z A-Z"' in fixed  # method unchanged
    assert_idempotent(FIXER, fixed, cwe=78, at="check_output")
    assert _run_patched(fixed, "run", "abc") == b"ABC 3\n"
    marker = tmp_path / "pwned"
    assert (
        _run_patched(fixed, "run", f"a; touch {marker}")
        == f"A; TOUCH {marker} 3\n".upper().encode()
    )
    assert not marker.exists()


def test_declines_a_command_held_in_an_attribute_set_elsewhere() -> None:
    src = (
        "import subprocess\n\n\nclass Job:\n"
        "    def __init__(self, spec):\n        self.spec = spec\n\n"
        "    def run(self):\n        return subprocess.run(self.spec, shell=True)\n"
    )
    result = FIXER.fix(make_finding(cwe=78, line=9), reader({"app/views.py": src}))
    assert isinstance(result, Declined) and "`self.spec`" in result.reason


def test_words_and_a_temporary_path_run_as_a_script_with_the_words_last(tmp_path: Path) -> None:
    src = (
        "import subprocess\n\n\ndef transcode(src, **options):\n"
        '    flags = " ".join(f"-{k} {v}" for k, v in options.items())\n'
        '    return subprocess.check_output(f"echo -i {src} {flags} /tmp/out.mp4", shell=True)\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="check_output")
    assert fixed is not None
    assert (
        """    return subprocess.check_output(["sh", "-c", '_1="${1}"; shift 1;"""
        """ echo -i "${_1}" "$@" /tmp/out.mp4', "sh", src, *flags])\n"""
    ) in fixed
    assert_idempotent(FIXER, fixed, cwe=78, at="check_output")
    options = {"vcodec": "libx264", "crf": "23"}
    benign = _run_patched(fixed, "transcode", "in.mp4", **options)
    assert benign == _run_patched(src, "transcode", "in.mp4", **options)
    marker = tmp_path / "pwned"
    _run_patched(fixed, "transcode", f"in.mp4; touch {marker}", crf=f"$(touch {marker})")
    assert not marker.exists()


def test_values_quoted_for_the_shell_become_the_values_themselves(tmp_path: Path) -> None:
    src = (
        "import shlex\nimport subprocess\n\n\ndef show(d, names):\n"
        '    a = subprocess.check_output(f"ls -d {shlex.quote(d)}", shell=True)\n'
        '    b = subprocess.check_output("echo " + shlex.join(names), shell=True)\n'
        '    words = " ".join(shlex.quote(n) for n in names)\n'
        '    c = subprocess.check_output(f"echo {words} end", shell=True)\n'
        "    return a, b, c\n"
    )
    fixed = src
    for at in ("a =", "b =", "c ="):
        again = apply_fixer(FIXER, fixed, cwe=78, at=at)
        assert again is not None, at
        fixed = again
        assert_idempotent(FIXER, fixed, cwe=78, at=at)
    # the shell read shlex.quote(x) as the word x: a list argument passes x itself
    assert '    a = subprocess.check_output(["ls", "-d", d])\n' in fixed
    assert '    b = subprocess.check_output(["echo", *names])\n' in fixed
    assert "    words = [n for n in names]\n" in fixed
    assert '    c = subprocess.check_output(["echo", *words, "end"])\n' in fixed
    odd = tmp_path / "a b'c"
    odd.mkdir()
    names = ["x y", "it's", "$(id)"]
    assert _run_patched(fixed, "show", str(odd), names) == _run_patched(
        src, "show", str(odd), names
    )


def test_quoted_value_in_a_script_is_passed_unquoted(tmp_path: Path) -> None:
    src = (
        "import shlex\nimport subprocess\n\n\ndef count(d):\n"
        '    return subprocess.getoutput(f"ls {shlex.quote(d)} | wc -l")\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="getoutput")
    assert fixed is not None
    assert """["sh", "-c", 'ls "${1}" | wc -l', "sh", d]""" in fixed
    odd = tmp_path / "a b"
    odd.mkdir()
    (odd / "x").write_text("")
    assert _run_patched(fixed, "count", str(odd)) == _run_patched(src, "count", str(odd)) == "1"


def test_os_popen_read_in_a_with_block_or_by_lines_becomes_stringio(tmp_path: Path) -> None:
    src = (
        "import os\n\n\ndef listing(d):\n"
        '    with os.popen(f"ls {d}") as f:\n'
        "        first = f.readline()\n"
        '    return first, os.popen("ls " + d).readlines()\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="with os.popen")
    assert fixed is not None
    assert (
        '    with io.StringIO(subprocess.run(["ls", d], stdout=subprocess.PIPE, text=True,'
        " check=False).stdout) as f:\n"
    ) in fixed
    fixed = apply_fixer(FIXER, fixed, cwe=78, at="return first")
    assert fixed is not None
    assert (
        '    return first, io.StringIO(subprocess.run(["ls", d], stdout=subprocess.PIPE,'
        " text=True, check=False).stdout).readlines()\n"
    ) in fixed
    (tmp_path / "a").write_text("")
    (tmp_path / "b").write_text("")
    assert _run_patched(fixed, "listing", str(tmp_path)) == _run_patched(
        src, "listing", str(tmp_path)
    )


def test_asyncio_create_subprocess_shell_becomes_exec(tmp_path: Path) -> None:
    import asyncio

    src = (
        "import asyncio\n\n\nasync def count(path, flags):\n"
        '    words = " ".join(f"-{f}" for f in flags)\n'
        "    proc = await asyncio.create_subprocess_shell(\n"
        '        f"wc {words} {path}", stdout=asyncio.subprocess.PIPE\n'
        "    )\n"
        "    out, _ = await proc.communicate()\n"
        "    return out\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="create_subprocess_shell")
    assert fixed is not None
    assert (
        "    proc = await asyncio.create_subprocess_exec(\n"
        '        "wc", *words, path, stdout=asyncio.subprocess.PIPE\n'
        "    )\n"
    ) in fixed
    assert '    words = [f"-{f}" for f in flags]\n' in fixed
    assert_idempotent(FIXER, fixed, cwe=78, at="create_subprocess_exec")
    data = tmp_path / "d.txt"
    data.write_text("a b\n")

    def count(code: str, path: str) -> object:
        coro = _run_patched(code, "count", path, ["l"])
        assert asyncio.iscoroutine(coro)
        return asyncio.run(coro)

    assert count(fixed, str(data)) == count(src, str(data)) == f"1 {data}\n".encode()
    marker = tmp_path / "pwned"
    count(fixed, f"{data}; touch {marker}")
    assert not marker.exists()


def test_a_variable_holding_a_quoted_value_gets_the_value_itself() -> None:
    src = (
        "import shlex\nimport subprocess\n\n\ndef ping(raw):\n"
        "    host = shlex.quote(raw)\n"
        '    return subprocess.run(f"ping -c 1 {host}", shell=True, capture_output=True)\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="subprocess.run")
    assert fixed is not None
    # as an argument, the quotes shlex.quote adds for the shell would reach ping
    assert "    host = raw\n" in fixed
    assert '    return subprocess.run(["ping", "-c", "1", host], capture_output=True)\n' in fixed
    assert_idempotent(FIXER, fixed, cwe=78, at="subprocess.run")
    logged = src.replace("    return", "    print(host)\n    return")
    fixed = apply_fixer(FIXER, logged, cwe=78, at="subprocess.run")
    assert fixed is not None and "    host = shlex.quote(raw)\n" in fixed  # used elsewhere: kept


def test_the_shell_named_by_executable_runs_the_script_or_goes() -> None:
    src = (
        "import subprocess\n"
        'a = subprocess.run(f"ls {d}", shell=True, executable="/bin/bash")\n'
        'b = subprocess.run(f"ls {d} | wc -l", shell=True, executable="/bin/bash")\n'
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="a =")
    assert fixed is not None
    # without a shell, `executable` would replace the program `ls`
    assert 'a = subprocess.run(["ls", d])\n' in fixed
    fixed = apply_fixer(FIXER, src, cwe=78, at="b =")
    assert fixed is not None
    assert """b = subprocess.run(["/bin/bash", "-c", 'ls "${1}" | wc -l', "sh", d])\n""" in fixed


def test_command_assigned_in_branches_becomes_a_list_in_each(tmp_path: Path) -> None:
    src = (
        "import os\n\n\ndef show(d, count=False):\n"
        "    if count:\n"
        '        cmd = "ls %s | wc -l" % d\n'
        "    else:\n"
        '        cmd = f"ls {d}"\n'
        "    return os.system(cmd)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="os.system")
    assert fixed is not None
    assert """        cmd = ["sh", "-c", 'ls "${1}" | wc -l', "sh", d]\n""" in fixed
    assert '        cmd = ["ls", d]\n' in fixed
    assert "    return subprocess.run(cmd, check=False).returncode\n" in fixed
    assert_idempotent(FIXER, fixed, cwe=78, at="subprocess.run")
    assert _run_patched(fixed, "show", str(tmp_path), True) == 0
    assert _run_patched(fixed, "show", str(tmp_path)) == 0
    marker = tmp_path / "pwned"
    _run_patched(fixed, "show", f"{tmp_path}; touch {marker}", True)
    _run_patched(fixed, "show", f"{tmp_path}; touch {marker}")
    assert not marker.exists()


def test_command_assigned_in_branches_and_read_elsewhere_is_declined() -> None:
    src = (
        "import os\n\n\ndef show(d, count=False):\n"
        "    if count:\n"
        '        cmd = "ls %s | wc -l" % d\n'
        "    else:\n"
        '        cmd = f"ls {d}"\n'
        "    print(cmd)\n"
        "    return os.system(cmd)\n"
    )
    result = FIXER.fix(make_finding(cwe=78, line=10), reader({"app/views.py": src}))
    assert isinstance(result, Declined) and "`cmd`" in result.reason
