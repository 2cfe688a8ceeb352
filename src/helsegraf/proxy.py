"""A thin limiting proxy in front of the Oxigraph server: the public face of the SPARQL endpoint.

Oxigraph streams results, so its own timeout answers HTTP 200 with a body cut off by "The SPARQL operation has
been cancelled". The proxy reads the whole answer within a deadline and a size limit and turns a cancelled,
overlong or oversized query into a clear error (503 or 413) instead. It refuses updates, answers CORS preflight,
and, since the data only change at build time, caches answers with an ETag so repeated queries cost nothing.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import socket
import threading
import time
import urllib.parse
from collections import OrderedDict
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

CANCELLED = b"The SPARQL operation has been cancelled"
PASSED_HEADERS = ("Content-Type", "Content-Disposition")


@dataclass
class Limits:
    timeout_s: float = 10.0  # wall time a query may take, end to end
    max_result_bytes: int = 50 * 1024 * 1024
    max_query_bytes: int = 100 * 1024
    max_concurrent: int = 8  # queries in flight at the backend
    cache_entries: int = 2048
    cache_bytes: int = 256 * 1024 * 1024
    max_age_s: int = 3600


class ResultCache:
    """A least-recently-used cache of whole answers, bounded in entries and bytes."""

    def __init__(self, entries: int, size: int):
        self.entries, self.size = entries, size
        self.data: OrderedDict[tuple, tuple[int, dict, bytes, str]] = OrderedDict()
        self.bytes = 0
        self.lock = threading.Lock()

    def get(self, key):
        with self.lock:
            hit = self.data.get(key)
            if hit is not None:
                self.data.move_to_end(key)
            return hit

    def put(self, key, value) -> None:
        body = value[2]
        if len(body) > self.size // 8:
            return
        with self.lock:
            if key in self.data:
                return
            self.data[key] = value
            self.bytes += len(body)
            while len(self.data) > self.entries or self.bytes > self.size:
                _, old = self.data.popitem(last=False)
                self.bytes -= len(old[2])


class _Error(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status, self.message, self.headers = status, message, headers or {}


class EndpointProxy(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def __init__(self, address: tuple[str, int], backend: tuple[str, int], limits: Limits):
        super().__init__(address, _Handler)
        self.backend = backend
        self.limits = limits
        self.cache = ResultCache(limits.cache_entries, limits.cache_bytes)
        self.slots = threading.BoundedSemaphore(limits.max_concurrent)


class _Handler(BaseHTTPRequestHandler):
    server: EndpointProxy
    protocol_version = "HTTP/1.1"
    server_version = "helsegraf"
    sys_version = ""

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's signature
        pass

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as two writes; with Nagle's algorithm and the client's delayed ACK that costs
        # 40 ms per answer on a kept-alive connection.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    # --- responses ----------------------------------------------------------------------------------------

    def _send(self, status: int, body: bytes, headers: dict) -> None:
        # One write for status line, headers and body: the cached path is the hot one.
        lines = [f"HTTP/1.1 {status} {self.responses.get(status, ('',))[0]}",
                 f"Server: {self.server_version}", f"Date: {self.date_time_string()}",
                 "Access-Control-Allow-Origin: *", "Access-Control-Expose-Headers: ETag, Content-Type",
                 "Vary: Accept, Accept-Encoding", f"Content-Length: {len(body)}"]
        lines += [f"{k}: {v}" for k, v in headers.items()]
        if self.close_connection:
            lines.append("Connection: close")
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.wfile.write(head if self.command == "HEAD" else head + body)

    def _error(self, e: _Error) -> None:
        accept = self.headers.get("Accept", "")
        if "json" in accept:
            body = json.dumps({"error": e.message, "status": e.status}, ensure_ascii=False).encode()
            ctype = "application/json; charset=utf-8"
        else:
            body = (e.message + "\n").encode()
            ctype = "text/plain; charset=utf-8"
        self._send(e.status, body, {"Content-Type": ctype, "Cache-Control": "no-store", **e.headers})

    # --- verbs --------------------------------------------------------------------------------------------

    def do_OPTIONS(self) -> None:  # noqa: N802
        self._send(204, b"", {"Access-Control-Allow-Methods": "GET, POST, HEAD, OPTIONS",
                              "Access-Control-Allow-Headers": "Content-Type, Accept, If-None-Match",
                              "Access-Control-Max-Age": "86400"})

    def do_HEAD(self) -> None:  # noqa: N802
        self.do_GET()

    def do_GET(self) -> None:  # noqa: N802
        self._dispatch(body=None)

    def do_POST(self) -> None:  # noqa: N802
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = -1
        if length < 0 or length > self.server.limits.max_query_bytes:
            self.close_connection = True
            self._error(_Error(413, f"The request body must be at most {self.server.limits.max_query_bytes} bytes."))
            return
        self._dispatch(body=self.rfile.read(length))

    def do_PUT(self) -> None:  # noqa: N802
        self._refuse()

    do_DELETE = do_PATCH = do_PUT

    def _refuse(self) -> None:
        self._drain()
        self._error(_Error(403, "This SPARQL endpoint is read-only: updates and graph store writes are refused."))

    def _drain(self) -> None:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            length = 0
        if 0 < length <= self.server.limits.max_query_bytes:
            self.rfile.read(length)

    def _dispatch(self, body: bytes | None) -> None:
        path, _, qs = self.path.partition("?")
        try:
            if path in ("/update",) or (path == "/store" and self.command == "POST"):
                raise _Error(403, "This SPARQL endpoint is read-only: updates and graph store writes are refused.")
            if path not in ("/query", "/sparql"):
                raise _Error(404, "Not found. The SPARQL endpoint is at /query.")
            query, params = self._query_and_params(qs, body)
            self._answer(query, params)
        except _Error as e:
            self._error(e)

    def _query_and_params(self, qs: str, body: bytes | None) -> tuple[str | None, list[tuple[str, str]]]:
        params = urllib.parse.parse_qsl(qs, keep_blank_values=True)
        if body is not None:
            ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                raise _Error(400, "The request body is not UTF-8.") from None
            if ctype == "application/sparql-query":
                params.append(("query", text))
            elif ctype == "application/x-www-form-urlencoded":
                params += urllib.parse.parse_qsl(text, keep_blank_values=True)
            elif ctype == "application/sparql-update":
                raise _Error(403, "This SPARQL endpoint is read-only: updates are refused.")
            else:
                raise _Error(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded.")
        if any(k == "update" for k, _ in params):
            raise _Error(403, "This SPARQL endpoint is read-only: updates are refused.")
        queries = [v for k, v in params if k == "query"]
        if len(queries) > 1:
            raise _Error(400, "Give exactly one 'query' parameter.")
        query = queries[0] if queries else None
        if query is not None and len(query.encode()) > self.server.limits.max_query_bytes:
            raise _Error(413, f"The query must be at most {self.server.limits.max_query_bytes} bytes.")
        others = sorted((k, v) for k, v in params if k != "query")
        return query, others

    # --- the backend --------------------------------------------------------------------------------------

    def _answer(self, query: str | None, params: list[tuple[str, str]]) -> None:
        accept = self.headers.get("Accept") or "*/*"
        key = (query, tuple(params), accept)
        hit = self.server.cache.get(key)
        if hit is None:
            hit = self._ask_backend(query, params, accept)
            if hit[0] == 200:
                self.server.cache.put(key, hit)
        status, headers, body, etag = hit
        if status == 200 and self.headers.get("If-None-Match") == etag:
            self._send(304, b"", {"ETag": etag, "Cache-Control": f"public, max-age={self.server.limits.max_age_s}"})
            return
        extra = {"ETag": etag, "Cache-Control": f"public, max-age={self.server.limits.max_age_s}"} if status == 200 else \
            {"Cache-Control": "no-store"}
        self._send(status, body, {**headers, **extra})

    def _ask_backend(self, query: str | None, params: list[tuple[str, str]], accept: str):
        limits = self.server.limits
        if not self.server.slots.acquire(timeout=limits.timeout_s):
            raise _Error(503, "The endpoint is busy; try again shortly.", {"Retry-After": "2"})
        try:
            deadline = time.monotonic() + limits.timeout_s + 1
            conn = http.client.HTTPConnection(*self.server.backend, timeout=limits.timeout_s + 2)
            try:
                form = urllib.parse.urlencode(([("query", query)] if query is not None else []) + params)
                if query is None:
                    conn.request("GET", "/query" + (f"?{form}" if form else ""), headers={"Accept": accept})
                else:
                    conn.request("POST", "/query", body=form.encode(),
                                 headers={"Accept": accept, "Content-Type": "application/x-www-form-urlencoded"})
                resp = conn.getresponse()
                chunks, size = [], 0
                while True:
                    if time.monotonic() > deadline:
                        raise _Error(503, f"The query did not finish within {limits.timeout_s:g} s and was stopped. "
                                          "Narrow it, or add a LIMIT.", {"Retry-After": "5"})
                    chunk = resp.read1(65536) if hasattr(resp, "read1") else resp.read(65536)
                    if not chunk:
                        break
                    size += len(chunk)
                    if size > limits.max_result_bytes:
                        raise _Error(413, f"The result is larger than {limits.max_result_bytes} bytes. Narrow the "
                                          "query, or add a LIMIT.")
                    chunks.append(chunk)
                body = b"".join(chunks)
            except (OSError, http.client.HTTPException) as e:
                if isinstance(e, TimeoutError) or "timed out" in str(e):
                    raise _Error(503, f"The query did not finish within {limits.timeout_s:g} s and was stopped.",
                                 {"Retry-After": "5"}) from None
                raise _Error(502, "The SPARQL backend did not answer.") from None
            finally:
                conn.close()
        finally:
            self.server.slots.release()
        if resp.status == 200 and body.rstrip().endswith(CANCELLED):
            raise _Error(503, f"The query did not finish within {limits.timeout_s:g} s and was stopped. Narrow it, "
                              "or add a LIMIT.", {"Retry-After": "5"})
        status = resp.status
        if status >= 500:
            text = body.decode("utf-8", "replace")[:500]
            raise _Error(400 if "parse" in text.lower() or "syntax" in text.lower() else 502, text or "backend error")
        headers = {k: resp.headers[k] for k in PASSED_HEADERS if resp.headers.get(k)}
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        return status, headers, body, etag
