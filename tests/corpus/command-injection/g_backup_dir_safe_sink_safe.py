# backup_dir (fastapi-path, dict): the same data goes through the safe form of the API: safe
# expect: none
from fastapi import FastAPI
import subprocess

app = FastAPI()

@app.get("/backup/{folder}")
def backup_dir(folder: str):
    options = {"folder": folder, "page_size": "50"}
    subprocess.run(["tar", "czf", "/tmp/backup.tgz", options["folder"]], check=True)
    return {"status": "ok"}
