# backup_dir (fastapi-path, dict): the value is checked against an allow-list first: safe
# expect: none
from fastapi import FastAPI
import subprocess

app = FastAPI()
ALLOWED_FOLDERS = frozenset({"alpha", "beta", "main"})

@app.get("/backup/{folder}")
def backup_dir(folder: str):
    if folder not in ALLOWED_FOLDERS:
        raise ValueError("unsupported folder")
    options = {"folder": folder, "page_size": "50"}
    subprocess.run(f"tar czf /tmp/backup.tgz {options["folder"]}", shell=True, check=True)
    return {"status": "ok"}
