# A dataclass built from JSON renders a backup command line that is run with shell=True.
# expect: mamori:python/command-injection line=26
from __future__ import annotations

import subprocess
from dataclasses import dataclass

from flask import Flask, request

app = Flask(__name__)


@dataclass
class BackupJob:
    database: str
    target: str

    def command_line(self) -> str:
        return f"pg_dump {self.database} | gzip > {self.target}"


@app.post("/backups")
def create_backup():
    payload = request.get_json()
    job = BackupJob(database=payload["database"], target=payload["target"])
    subprocess.call(job.command_line(), shell=True)
    return {"queued": True}
