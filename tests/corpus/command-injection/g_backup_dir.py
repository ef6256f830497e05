# backup_dir (fastapi-path, dict): untrusted request data reaches the sink
# expect: mamori:python/command-injection line=11
from fastapi import FastAPI
import subprocess

app = FastAPI()

@app.get("/backup/{folder}")
def backup_dir(folder: str):
    options = {"folder": folder, "page_size": "50"}
    subprocess.run(f"tar czf /tmp/backup.tgz {options["folder"]}", shell=True, check=True)
    return {"status": "ok"}
