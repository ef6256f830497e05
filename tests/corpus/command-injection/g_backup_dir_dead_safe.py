# backup_dir (fastapi-path, dict): the tainted call sits in a branch whose condition is a constant False: safe
# expect: none
from fastapi import FastAPI
import subprocess

app = FastAPI()
LEGACY_MODE = False
FALLBACK = "fallback"

@app.get("/backup/{folder}")
def backup_dir(folder: str):
    options = {"folder": folder, "page_size": "50"}
    if LEGACY_MODE:
        subprocess.run(f"tar czf /tmp/backup.tgz {options["folder"]}", shell=True, check=True)
    else:
        subprocess.run(f"tar czf /tmp/backup.tgz {FALLBACK}", shell=True, check=True)
    return {"status": "ok"}
