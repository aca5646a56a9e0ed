"""A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol and answers from a fixed table.

It checks what a real server would (model name, API key, `stream: false`, a JSON-schema response format) and can
be told to misbehave for turns containing a phrase: 429, 500, a slow answer (timeout), malformed JSON, an unknown
code id, a missing turn, a reply that is not a chat completion. It records every request it receives.
"""

from __future__ import annotations

import json
import re
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

TURN_BLOCK = re.compile(r"\[(T\d+)\]\nInterviewer question: (.*?)\nRespondent turn: (.*?)(?=\n\n\[T\d+\]\n|\Z)",
                        re.S)

FAULTS = ("429", "500", "slow", "malformed", "unknown_code", "missing_turn", "not_completion", "401", "404",
          "redirect")


@dataclass
class Fault:
    phrase: str  # applies to requests with a turn containing this phrase
    kind: str  # one of FAULTS
    times: int = 1  # how many matching requests get it


@dataclass
class FakeChatServer:
    table: dict[str, list[str]]  # phrase in a turn -> codes the "model" gives that turn
    model: str = "test-model"
    api_key: str | None = None
    slow_seconds: float = 2.0
    confidence: float = 0.9
    faults: list[Fault] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    headers: list[dict] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    in_flight: int = 0
    most_in_flight: int = 0  # the most requests the server was handling at one time

    def __post_init__(self):
        self._lock = threading.Lock()
        self._http = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        self._http.daemon_threads = True
        self._thread = threading.Thread(target=self._http.serve_forever, kwargs={"poll_interval": 0.05},
                                        daemon=True)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self._http.server_address[1]}/v1"

    def start(self) -> FakeChatServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._http.shutdown()
        self._http.server_close()

    def turns_asked(self) -> list[str]:
        """Every respondent turn text sent, once per request that carried it."""
        return [text for body in self.requests for _, _, text in TURN_BLOCK.findall(body["messages"][-1]["content"])]

    def add_fault(self, phrase: str, kind: str, times: int = 1) -> None:
        assert kind in FAULTS, kind
        self.faults.append(Fault(phrase, kind, times))

    # --- answering ----------------------------------------------------------------------------------------------

    def codes_for(self, text: str) -> list[str]:
        return [code for phrase, codes in self.table.items() if phrase in text for code in codes]

    def answer(self, headers: dict, body: dict) -> tuple[int, dict, bytes, float]:
        """(status, extra headers, body bytes, seconds to wait first)."""
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
        if self.api_key and headers.get("authorization") != f"Bearer {self.api_key}":
            return _error(401, "invalid api key")
        if body.get("model") != self.model:
            return _error(404, f"model '{body.get('model')}' not found, try pulling it first")
        if body.get("stream") is not False:
            return _error(400, "this test server only answers stream: false")
        fmt = body.get("response_format") or {}
        if fmt.get("type") != "json_schema" or "schema" not in fmt.get("json_schema", {}):
            return _error(400, "response_format must be a json_schema")
        # Like constrained decoding on a real server: only the code ids the schema allows are ever produced.
        allowed = set(fmt["json_schema"]["schema"]["properties"]["turns"]["items"]["properties"]["codes"]["items"]
                      ["properties"]["code"]["enum"])
        turns = TURN_BLOCK.findall(body["messages"][-1]["content"])
        fault = self._take_fault(turns)
        if fault and fault.kind in ("429", "500", "401", "404"):
            status = int(fault.kind)
            return _error(status, "slow down" if status == 429 else "boom", {"Retry-After": "0"})
        if fault and fault.kind == "redirect":
            return _error(307, "moved", {"Location": "http://elsewhere.example/v1/chat/completions"})
        if fault and fault.kind == "not_completion":
            return 200, {}, b"<html>proxy error</html>", 0.0
        entries = []
        for label, _, text in turns:
            codes = [c for c in self.codes_for(text) if c in allowed]
            if fault and fault.kind == "missing_turn" and fault.phrase in text:
                continue
            if fault and fault.kind == "unknown_code" and fault.phrase in text:
                codes = [*codes, "NOT_A_CODE"]
            entries.append({"turn": label, "codes": [
                {"code": c, "justification": f'"{text[:40]}"', "confidence": self.confidence} for c in codes]})
        content = json.dumps({"turns": entries})
        if fault and fault.kind == "malformed":
            content = content[: len(content) // 2]
        completion = {"id": "chatcmpl-test", "object": "chat.completion", "model": self.model,
                      "choices": [{"index": 0, "finish_reason": "stop",
                                   "message": {"role": "assistant", "content": content}}]}
        delay = self.slow_seconds if fault and fault.kind == "slow" else 0.0
        return 200, {}, json.dumps(completion).encode(), delay

    def _take_fault(self, turns: list[tuple[str, str, str]]) -> Fault | None:
        with self._lock:
            for fault in self.faults:
                if fault.times > 0 and any(fault.phrase in text for _, _, text in turns):
                    fault.times -= 1
                    return fault
        return None


def _error(status: int, message: str, headers: dict | None = None) -> tuple[int, dict, bytes, float]:
    return status, headers or {}, json.dumps({"error": {"message": message}}).encode(), 0.0


def _handler(server: FakeChatServer):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
        disable_nagle_algorithm = True  # as Go (Ollama) and llama.cpp do: no 40 ms delayed-ACK stall per answer

        def do_POST(self):  # noqa: N802 (http.server's naming)
            with server._lock:
                server.in_flight += 1
                server.most_in_flight = max(server.most_in_flight, server.in_flight)
            try:
                self._answer()
            finally:
                with server._lock:
                    server.in_flight -= 1

        def _answer(self):
            length = int(self.headers.get("Content-Length", 0))
            raw = self.rfile.read(length)
            if self.path != "/v1/chat/completions":
                status, extra, payload, delay = _error(404, f"no route {self.path}")
            else:
                headers = {k.lower(): v for k, v in self.headers.items()}
                status, extra, payload, delay = server.answer(headers, json.loads(raw))
            if delay:
                time.sleep(delay)
            with server._lock:
                server.statuses.append(status)
            try:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(payload)))
                for key, value in extra.items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(payload)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up waiting (a timeout test)

        def log_message(self, *args):  # keep test output quiet
            pass

    return Handler


def serve_in_child(table: dict[str, list[str]], ready, done) -> None:
    """Run a server in a child process (so its work does not share the client's GIL); `ready` gets its base URL,
    and it stops when `done` is set."""
    server = FakeChatServer(table).start()
    ready.put(server.base_url)
    done.wait()
    server.stop()
    ready.put(time.process_time())  # the server's CPU seconds, for the benchmark's report
