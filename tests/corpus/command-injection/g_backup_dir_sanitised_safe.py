# backup_dir (fastapi-path, dict): the value is sanitised for this sink first: safe
# expect: none
from fastapi import FastAPI
import subprocess
import shlex

app = FastAPI()

@app.get("/backup/{folder}")
def backup_dir(folder: str):
    folder = shlex.quote(folder)
    options = {"folder": folder, "page_size": "50"}
    subprocess.run(f"tar czf /tmp/backup.tgz {options["folder"]}", shell=True, check=True)
    return {"status": "ok"}
