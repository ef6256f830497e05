# backup_dir (fastapi-path, dict): sanitised for a different sink, which does not help here: still vulnerable
# expect: mamori:python/command-injection line=13
from fastapi import FastAPI
import subprocess
import html

app = FastAPI()

@app.get("/backup/{folder}")
def backup_dir(folder: str):
    folder = html.escape(folder)
    options = {"folder": folder, "page_size": "50"}
    subprocess.run(f"tar czf /tmp/backup.tgz {options["folder"]}", shell=True, check=True)
    return {"status": "ok"}
