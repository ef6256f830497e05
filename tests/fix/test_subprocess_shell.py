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


def _run_patched(src: str, func: str, *args: object) -> object:
    namespace: dict[str, object] = {}
    exec(compile(src, "app/views.py", "exec"), namespace)
    fn = namespace[func]
    assert callable(fn)
    return fn(*args)


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


def test_variable_used_elsewhere_keeps_the_string_and_quotes(tmp_path: Path) -> None:
    src = (
        "import os\n\n\n"
        "def touch(name):\n"
        '    cmd = "touch " + name\n'
        "    print(cmd)\n"
        "    return os.system(cmd)\n"
    )
    fixed = apply_fixer(FIXER, src, cwe=78, at="os.system")
    assert fixed is not None
    assert '    cmd = "touch " + shlex.quote(name)\n' in fixed
    assert "import shlex\n" in fixed
    target = tmp_path / "made"
    assert _run_patched(fixed, "touch", str(target)) == 0
    assert target.exists()
    marker = tmp_path / "pwned"
    _run_patched(fixed, "touch", f"{tmp_path}/x; touch {marker}")
    assert not marker.exists()


def test_getoutput_quotes_the_value() -> None:
    src = 'import subprocess\n\n\ndef lines(p):\n    return subprocess.getoutput("wc -l " + p)\n'
    fixed = apply_fixer(FIXER, src, cwe=78, at="getoutput")
    assert fixed is not None
    assert 'subprocess.getoutput("wc -l " + shlex.quote(p))' in fixed
    out = str(_run_patched(fixed, "lines", "/dev/null; echo $(id)"))
    assert "uid=" not in out and "No such file" in out  # one odd file name, nothing run


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


def test_declines_a_value_holding_several_words() -> None:
    src = (
        "import subprocess\n\n\ndef transcode(src, **options):\n"
        '    flags = " ".join(f"-{k} {v}" for k, v in options.items())\n'
        '    return subprocess.call(f"ffmpeg -i {src} {flags} out.mp4", shell=True)\n'
    )
    result = FIXER.fix(make_finding(cwe=78, line=6), reader({"app/views.py": src}))
    assert isinstance(result, Declined) and "several words" in result.reason
