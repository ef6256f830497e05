# Default xml.sax parser: external general entities are off.
# expect: none
import xml.sax

from flask import Flask, request

app = Flask(__name__)


class TitleHandler(xml.sax.ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.titles: list[str] = []


@app.post("/opml")
def opml():
    handler = TitleHandler()
    xml.sax.parseString(request.get_data(), handler)
    return {"titles": handler.titles}
