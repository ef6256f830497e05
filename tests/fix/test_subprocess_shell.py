from __future__ import annotations

from mamori.domain import RiskClass
from mamori.fix.codemods.subprocess_shell import SubprocessShellFixer
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


def test_declines_shell_syntax() -> None:
    for cmd in (
        'f"ls {d} | wc -l"',
        'f"cd {d} && make"',
        'f"echo {x} > out.txt"',
        'f"rm {d}/*"',
        'f"echo $HOME {x}"',
    ):
        src = f"import subprocess\nsubprocess.run({cmd}, shell=True)\n"
        assert apply_fixer(FIXER, src, cwe=78, at="subprocess.run") is None, cmd


def test_declines_without_shell_true_or_for_a_plain_variable() -> None:
    src = 'import subprocess\nsubprocess.run(f"ls {d}")\nsubprocess.run(cmd, shell=True)\n'
    assert apply_fixer(FIXER, src, cwe=78, at='f"ls') is None
    assert apply_fixer(FIXER, src, cwe=78, at="(cmd") is None


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
