# backup_dir (fastapi-path, dict): only a constant element of the container reaches the sink: safe
# expect: none
from fastapi import FastAPI
import subprocess

app = FastAPI()

@app.get("/backup/{folder}")
def backup_dir(folder: str):
    options = {"folder": folder, "page_size": "50"}
    subprocess.run(f"tar czf /tmp/backup.tgz {options["page_size"]}", shell=True, check=True)
    return {"status": "ok"}
