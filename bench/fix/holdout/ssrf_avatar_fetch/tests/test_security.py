import http.server
import threading

import avatar


class Internal(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"INTERNAL-ADMIN-DATA")

    def log_message(self, *args):
        pass


def test_cannot_fetch_internal_service():
    server = http.server.HTTPServer(("127.0.0.1", 0), Internal)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        try:
            data = avatar.fetch_avatar(f"http://127.0.0.1:{server.server_port}/admin")
        except Exception:
            data = b""
    finally:
        server.shutdown()
    assert b"INTERNAL-ADMIN-DATA" not in data
