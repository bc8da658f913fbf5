"""A local stand-in for the LINE Messaging API on 127.0.0.1, checking what the real API requires of a request:
POST, a Bearer channel access token, a JSON body, a user ID `to` of U + 32 hex, 1–5 text messages of at most
5,000 characters, a UUID retry key when one is sent. It records what it accepted; `fail_next` makes it answer 500."""

from __future__ import annotations

import json
import re
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

USER_ID = re.compile(r"^U[0-9a-f]{32}$")


class LineStandIn:
    def __init__(self, token: str):
        self.token = token
        self.pushes: list[dict] = []
        self.replies: list[dict] = []
        self.refused: list[str] = []
        self.fail_next = 0
        self.retry_keys: set[str] = set()
        stand_in = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # quiet
                pass

            def _answer(self, status: int, body: dict) -> None:
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self):  # noqa: N802 - http.server's name
                problem = stand_in.check(self)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                try:
                    body = json.loads(raw)
                except ValueError:
                    body, problem = {}, problem or "body is not JSON"
                problem = problem or stand_in.check_body(self.path, body)
                if problem:
                    stand_in.refused.append(problem)
                    return self._answer(400, {"message": problem})
                if stand_in.fail_next:
                    stand_in.fail_next -= 1
                    return self._answer(500, {"message": "Internal server error"})
                key = self.headers.get("X-Line-Retry-Key")
                if key:
                    if key in stand_in.retry_keys:
                        return self._answer(409, {"message": "The retry key is already accepted"})
                    stand_in.retry_keys.add(key)
                (stand_in.pushes if self.path.endswith("/push") else stand_in.replies).append(body)
                return self._answer(200, {})

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def check(self, handler) -> str:
        if handler.path not in ("/v2/bot/message/push", "/v2/bot/message/reply"):
            return f"no such endpoint {handler.path}"
        if handler.headers.get("Authorization") != f"Bearer {self.token}":
            return "Authentication failed: missing or wrong channel access token"
        if not (handler.headers.get("Content-Type") or "").startswith("application/json"):
            return "Content-Type must be application/json"
        key = handler.headers.get("X-Line-Retry-Key")
        if key is not None:
            try:
                uuid.UUID(key)
            except ValueError:
                return "X-Line-Retry-Key must be a UUID"
        return ""

    def check_body(self, path: str, body: dict) -> str:
        if path.endswith("/push") and not USER_ID.match(str(body.get("to", ""))):
            return "The property, 'to', in the request body is invalid"
        if path.endswith("/reply") and not body.get("replyToken"):
            return "replyToken is required"
        messages = body.get("messages")
        if not isinstance(messages, list) or not 1 <= len(messages) <= 5:
            return "messages must hold 1 to 5 messages"
        for message in messages:
            if message.get("type") != "text" or not message.get("text") or len(message["text"]) > 5000:
                return "a text message needs text of 1 to 5000 characters"
        return ""

    def __enter__(self) -> LineStandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()
