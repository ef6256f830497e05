import os

REPORTS_DIR = os.environ.get("REPORTS_DIR", "/srv/reports")


def read_report(name, reports_dir=None):
    base = reports_dir or REPORTS_DIR
    with open(os.path.join(base, name), encoding="utf-8") as fh:
        return fh.read()
