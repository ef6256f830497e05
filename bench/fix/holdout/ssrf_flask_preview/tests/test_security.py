import http.server
import threading

from preview import app


class Metadata(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"<title>iam-credentials-SECRET</title>")

    def log_message(self, *args):
        pass


def test_preview_cannot_reach_internal_hosts():
    server = http.server.HTTPServer(("127.0.0.1", 0), Metadata)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        try:
            resp = app.test_client().get(
                "/preview", query_string={"url": f"http://127.0.0.1:{server.server_port}/latest"}
            )
            body = resp.get_data(as_text=True)
        except Exception:
            body = ""
    finally:
        server.shutdown()
    assert "SECRET" not in body
