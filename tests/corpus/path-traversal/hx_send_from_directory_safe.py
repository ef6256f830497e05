# send_from_directory refuses paths that leave the directory.
# expect: none
from flask import Flask, current_app, send_from_directory

app = Flask(__name__)
app.config["MEDIA_ROOT"] = "/srv/media"


@app.route("/media/<path:filename>")
def media(filename: str):
    return send_from_directory(current_app.config["MEDIA_ROOT"], filename, max_age=3600)
