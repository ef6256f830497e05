"""A local HTTP server that speaks the Anthropic Messages API and OpenAI chat completions.

Answers are scripted: each request pops the next :class:`Reply` (or repeats the last one). It
records every request (path, headers, JSON body) so tests can check exactly what left.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Reply:
    status: int = 200
    body: Any = None  # dict (JSON) or str; None: a default answer built from ``output``
    output: Any = None  # the structured answer (tool input / JSON content)
    headers: dict[str, str] = field(default_factory=dict)
    delay_s: float = 0.0
    input_tokens: int = 100
    output_tokens: int = 50


@dataclass
class Seen:
    path: str
    headers: dict[str, str]
    body: dict[str, Any]


def anthropic_body(output: Any, req: dict[str, Any], reply: Reply) -> dict[str, Any]:
    content: list[dict[str, Any]] = [{"type": "text", "text": "Here is my analysis."}]
    if output is not None:
        content.append(
            {"type": "tool_use", "id": "toolu_1", "name": "submit_result", "input": output}
        )
    return {
        "id": "msg_1",
        "type": "message",
        "role": "assistant",
        "model": req.get("model", "claude-test"),
        "content": content,
        "stop_reason": "tool_use",
        "stop_sequence": None,
        "usage": {"input_tokens": reply.input_tokens, "output_tokens": reply.output_tokens},
    }


def openai_body(output: Any, req: dict[str, Any], reply: Reply) -> dict[str, Any]:
    content = output if isinstance(output, str) else json.dumps(output)
    return {
        "id": "chatcmpl-1",
        "object": "chat.completion",
        "created": 0,
        "model": req.get("model", "local-test"),
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": "stop",
            }
        ],
        "usage": {
            "prompt_tokens": reply.input_tokens,
            "completion_tokens": reply.output_tokens,
            "total_tokens": reply.input_tokens + reply.output_tokens,
        },
    }


class FakeLLM:
    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.by_task: dict[str, Reply] = {}  # when set: answer by task (review/triage/patch)
        self.seen: list[Seen] = []
        self._lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                return None

            def do_POST(self) -> None:
                n = int(self.headers.get("content-length", "0"))
                raw = self.rfile.read(n)
                req = json.loads(raw or b"{}")
                with outer._lock:
                    outer.seen.append(
                        Seen(self.path, {k.lower(): v for k, v in self.headers.items()}, req)
                    )
                    task = _task_of(req)
                    if outer.by_task:
                        reply = outer.by_task[task]
                    elif len(outer.replies) > 1:
                        reply = outer.replies.pop(0)
                    else:
                        reply = outer.replies[0]
                if reply.delay_s:
                    time.sleep(reply.delay_s)
                if reply.body is not None:
                    body = reply.body
                elif self.path.endswith("/messages"):
                    body = anthropic_body(reply.output, req, reply)
                elif self.path.endswith("/chat/completions"):
                    body = openai_body(reply.output, req, reply)
                else:
                    body = {"error": {"type": "not_found", "message": self.path}}
                data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for k, v in reply.headers.items():
                        self.send_header(k, v)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout tests)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host!s}:{port}"

    def script(self, *replies: Reply, **by_task: Reply) -> None:
        with self._lock:
            self.replies = list(replies)
            self.by_task = dict(by_task)
            self.seen.clear()

    def start(self) -> FakeLLM:
        self.thread.start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def error_body(kind: str, message: str) -> dict[str, Any]:
    return {"type": "error", "error": {"type": kind, "message": message}}


def _task_of(req: dict[str, Any]) -> str:
    """The Mamori task a request is for (from the tool description or the schema name)."""
    for tool in req.get("tools") or []:
        m = re.search(r"result of the (\w+) task", tool.get("description", ""))
        if m:
            return m.group(1)
    fmt = req.get("response_format") or {}
    return str((fmt.get("json_schema") or {}).get("name", ""))
