# backup_dir (fastapi-path, dict): the request value is always replaced by a constant before use: safe
# expect: none
from fastapi import FastAPI
import subprocess

app = FastAPI()
DEFAULT_FOLDER = "localhost"

@app.get("/backup/{folder}")
def backup_dir(folder: str):
    # The client-supplied folder is no longer honoured; the default always applies.
    folder = DEFAULT_FOLDER
    options = {"folder": folder, "page_size": "50"}
    subprocess.run(f"tar czf /tmp/backup.tgz {options["folder"]}", shell=True, check=True)
    return {"status": "ok"}
