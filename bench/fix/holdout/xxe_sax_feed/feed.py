import io
import xml.sax
from xml.sax.handler import feature_external_ges


class TitleCollector(xml.sax.ContentHandler):
    def __init__(self):
        super().__init__()
        self.titles = []
        self._in_title = False

    def startElement(self, name, attrs):
        if name == "title":
            self._in_title = True
            self.titles.append("")

    def endElement(self, name):
        if name == "title":
            self._in_title = False

    def characters(self, content):
        if self._in_title:
            self.titles[-1] += content


def feed_titles(data: bytes):
    parser = xml.sax.make_parser()
    parser.setFeature(feature_external_ges, True)
    handler = TitleCollector()
    parser.setContentHandler(handler)
    parser.parse(io.BytesIO(data))
    return handler.titles
