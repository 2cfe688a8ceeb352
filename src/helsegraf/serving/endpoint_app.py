"""The SPARQL 1.1 protocol endpoint as an ASGI application, served by granian (see serving/servers.py).

The HTTP framing, keep-alive and header timeouts are granian's; this module reads the protocol (GET, POST form,
POST direct; default-graph-uri and named-graph-uri), refuses updates and oversized or over-complex queries before
evaluation, hands each query to the evaluator pool, and answers whole results with an ETag, gzip when asked for,
CORS, and security headers. Configured from the environment (`configure()` writes it), so the server can import it.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import urllib.parse
from pathlib import Path

from .cache import Answer, ResultCache
from .guard import check
from .limits import Limits
from .pool import Pool
from .refused import Refused

log = logging.getLogger("helsegraf.endpoint")

READ_ONLY = "This SPARQL endpoint is read-only: updates and graph store writes are refused."
SECURITY = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
            (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
            (b"access-control-allow-origin", b"*"), (b"access-control-expose-headers", b"ETag, Content-Type"),
            (b"vary", b"Accept, Accept-Encoding")]
QUERY_PATHS = ("/query", "/sparql")
WATCH_AFTER_S = 0.05


class _Gone(Exception):
    """The client disconnected."""


def configure(store: Path, description: Path | None, base_iri: str, limits: Limits) -> dict[str, str]:
    """The environment the server process reads its configuration from."""
    env = {"HELSEGRAF_SERVE_STORE": str(store), "HELSEGRAF_SERVE_BASE_IRI": base_iri, **limits.to_env()}
    if description is not None:
        env["HELSEGRAF_SERVE_DESCRIPTION"] = str(description)
    return env


class EndpointApp:
    def __init__(self, store: Path, description: Path | None, base_iri: str, limits: Limits):
        self.store, self.description, self.base_iri, self.limits = store, description, base_iri, limits
        self.cache = ResultCache(limits.cache_entries, limits.cache_bytes)
        self.pool: Pool | None = None
        self._described: tuple[tuple[int, int], bytes] | None = None

    @classmethod
    def from_env(cls, env=os.environ) -> "EndpointApp":
        desc = env.get("HELSEGRAF_SERVE_DESCRIPTION")
        return cls(Path(env["HELSEGRAF_SERVE_STORE"]), Path(desc) if desc else None,
                   env.get("HELSEGRAF_SERVE_BASE_IRI", "http://127.0.0.1/query"), Limits.from_env(env))

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            await self._lifespan(receive, send)
        elif scope["type"] == "http":
            await self._http(scope, receive, send)

    async def _lifespan(self, receive, send) -> None:
        while True:
            msg = await receive()
            if msg["type"] == "lifespan.startup":
                logging.basicConfig(level=logging.WARNING, format="%(name)s: %(message)s")
                try:
                    self.pool = Pool(self.store, self.limits, on_reload=self.cache.clear)
                    await self.pool.start()
                except Exception as e:  # noqa: BLE001 - told to the server, which stops with the message
                    await send({"type": "lifespan.startup.failed", "message": str(e)})
                    return
                await send({"type": "lifespan.startup.complete"})
            elif msg["type"] == "lifespan.shutdown":
                if self.pool:
                    await self.pool.close()
                await send({"type": "lifespan.shutdown.complete"})
                return

    # --- HTTP ---------------------------------------------------------------------------------------------

    async def _http(self, scope, receive, send) -> None:
        method, path = scope["method"], scope["path"]
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        try:
            if method == "OPTIONS":
                await self._send(send, 204, b"", [(b"access-control-allow-methods", b"GET, POST, HEAD, OPTIONS"),
                                                  (b"access-control-allow-headers",
                                                   b"Content-Type, Accept, If-None-Match"),
                                                  (b"access-control-max-age", b"86400")], method)
                return
            if path == "/health":
                await self._health(send, method)
                return
            if method in ("PUT", "DELETE", "PATCH") or path in ("/update", "/store"):
                raise Refused(403, READ_ONLY)
            if path not in QUERY_PATHS:
                raise Refused(404, "Not found. The SPARQL endpoint is at /query.")
            if method not in ("GET", "HEAD", "POST"):
                raise Refused(405, "Use GET or POST for queries.")
            params = urllib.parse.parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True)
            if method == "POST":
                params += await self._form(headers, receive)
            await self._query(params, headers, method, receive, send)
        except Refused as e:
            await self._error(send, e.status, e.message, headers, method, e.retry_after)
        except _Gone:
            return

    async def _form(self, headers: dict, receive) -> list[tuple[str, str]]:
        ctype = headers.get("content-type", "").split(";")[0].strip().lower()
        if ctype == "application/sparql-update":
            raise Refused(403, READ_ONLY)
        if ctype not in ("application/sparql-query", "application/x-www-form-urlencoded"):
            raise Refused(415, "POST a query as application/sparql-query or application/x-www-form-urlencoded.")
        body = await self._body(headers, receive)
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise Refused(400, "The request body is not UTF-8.") from None
        if ctype == "application/sparql-query":
            return [("query", text)]
        return urllib.parse.parse_qsl(text, keep_blank_values=True)

    async def _body(self, headers: dict, receive) -> bytes:
        limit = self.limits.max_body_bytes
        declared = headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            raise Refused(413, f"The request body must be at most {limit} bytes.")
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.limits.body_timeout_s
        chunks, size = [], 0
        while True:
            try:
                async with asyncio.timeout(max(0.0, deadline - loop.time())):
                    msg = await receive()
            except TimeoutError:
                raise Refused(408, f"The request body did not arrive within {self.limits.body_timeout_s:g} s.") \
                    from None
            if msg["type"] == "http.disconnect":
                raise _Gone
            chunk = msg.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise Refused(413, f"The request body must be at most {limit} bytes.")
            chunks.append(chunk)
            if not msg.get("more_body"):
                return b"".join(chunks)

    async def _query(self, params, headers: dict, method: str, receive, send) -> None:
        if any(k in ("update", "using-graph-uri", "using-named-graph-uri") for k, _ in params):
            raise Refused(403, READ_ONLY)
        queries = [v for k, v in params if k == "query"]
        if len(queries) > 1:
            raise Refused(400, "Give exactly one 'query' parameter.")
        if not queries:
            await self._service_description(send, method, headers)
            return
        query = queries[0]
        defaults = tuple(v for k, v in params if k == "default-graph-uri")
        named = tuple(v for k, v in params if k == "named-graph-uri")
        accept = headers.get("accept") or "*/*"
        key = (query, defaults, named, accept)
        answer = self.cache.get(key)  # what is cached passed the check when it was first asked
        if answer is None:
            check(query, self.limits)  # raises QueryRefused, a Refused
            answer = await self._evaluate(query, defaults, named, accept, receive, _timeout(params, self.limits))
            self.cache.put(key, answer)
        await self._answer(send, answer, headers, method)

    async def _evaluate(self, query, defaults, named, accept, receive, timeout_s: float) -> Answer:
        assert self.pool is not None
        loop = asyncio.get_running_loop()
        request = {"query": query, "accept": accept, "default_graph_uri": list(defaults),
                   "named_graph_uri": list(named), "base_iri": self.base_iri,
                   "max_bytes": self.limits.max_result_bytes, "timeout_s": timeout_s}
        # Asking the server whether the client is still there costs a wake-up across granian's threads; most
        # queries are done before it would matter, so only a query still running after WATCH_AFTER_S is watched,
        # and a client gone by then cancels its evaluation.
        watch = _ClientWatch(receive, asyncio.current_task())
        timer = loop.call_later(WATCH_AFTER_S, watch.start)
        try:
            result, body = await self.pool.run(request, loop.time() + timeout_s)
        except asyncio.CancelledError:
            if watch.gone:
                raise _Gone from None
            raise
        finally:
            timer.cancel()
            watch.stop()
        if result["status"] != 200:
            raise Refused(result["status"], result["error"], 5 if result["status"] == 503 else None)
        return Answer(result["content_type"], body)

    # --- answers ------------------------------------------------------------------------------------------

    async def _answer(self, send, answer: Answer, headers: dict, method: str) -> None:
        cache = [(b"etag", answer.etag.encode()), (b"cache-control", f"public, max-age={self.limits.max_age_s}".encode())]
        if headers.get("if-none-match") == answer.etag:
            await self._send(send, 304, b"", cache, method)
            return
        body, extra = answer.body, [(b"content-type", answer.content_type.encode())]
        if len(body) >= self.limits.gzip_min_bytes and "gzip" in headers.get("accept-encoding", ""):
            body = answer.compressed()
            extra.append((b"content-encoding", b"gzip"))
        await self._send(send, 200, body, extra + cache, method)

    async def _service_description(self, send, method: str, headers: dict) -> None:
        if self.description is None or not self.description.is_file():
            raise Refused(400, "Give a SPARQL query in the 'query' parameter.")
        stat = self.description.stat()
        key = (stat.st_mtime_ns, stat.st_size)
        if self._described is None or self._described[0] != key:  # a new build was swapped in
            from ..rdf.description import at_endpoint

            self._described = (key, at_endpoint(self.description.read_bytes(), self.base_iri))
        await self._answer(send, Answer("text/turtle; charset=utf-8", self._described[1]), headers, method)

    async def _health(self, send, method: str) -> None:
        assert self.pool is not None
        state = self.pool.health()
        state["cache"] = {"entries": len(self.cache.data), "bytes": self.cache.bytes, "hits": self.cache.hits,
                          "misses": self.cache.misses}
        state["status"] = "ok" if state["evaluators"] > 0 else "starting"
        body = (json.dumps(state, sort_keys=True) + "\n").encode()
        await self._send(send, 200 if state["status"] == "ok" else 503, body,
                         [(b"content-type", b"application/json"), (b"cache-control", b"no-store")], method)

    async def _error(self, send, status: int, message: str, headers: dict, method: str,
                     retry_after: int | None) -> None:
        if status >= 500:
            log.warning("%d: %s", status, message)
        if "json" in headers.get("accept", ""):
            body = json.dumps({"error": message, "status": status}, ensure_ascii=False).encode()
            ctype = b"application/json; charset=utf-8"
        else:
            body, ctype = (message + "\n").encode(), b"text/plain; charset=utf-8"
        extra = [(b"content-type", ctype), (b"cache-control", b"no-store")]
        if retry_after:
            extra.append((b"retry-after", str(retry_after).encode()))
        await self._send(send, status, body, extra, method)

    @staticmethod
    async def _send(send, status: int, body: bytes, headers: list, method: str) -> None:
        all_headers = SECURITY + headers + [(b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": all_headers})
        await send({"type": "http.response.body", "body": b"" if method == "HEAD" else body})


def _timeout(params, limits: Limits) -> float:
    """The endpoint's timeout, or the shorter one a client asks for with `timeout` (seconds, as Virtuoso takes)."""
    asked = [v for k, v in params if k == "timeout"]
    if not asked:
        return limits.timeout_s
    try:
        seconds = float(asked[0])
    except ValueError:
        raise Refused(400, "The 'timeout' parameter is a number of seconds.") from None
    if not seconds > 0:
        raise Refused(400, "The 'timeout' parameter must be more than 0 seconds.")
    return min(seconds, limits.timeout_s)


class _ClientWatch:
    """Cancels a request's task when its client disconnects, once started."""

    def __init__(self, receive, task: asyncio.Task | None):
        self.receive, self.task = receive, task
        self.watcher: asyncio.Task | None = None
        self.gone = False

    def start(self) -> None:
        self.watcher = asyncio.ensure_future(self._wait())

    async def _wait(self) -> None:
        while True:
            msg = await self.receive()
            if msg["type"] == "http.disconnect":
                self.gone = True
                if self.task is not None:
                    self.task.cancel()
                return

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.cancel()


def create() -> EndpointApp:
    """The factory granian calls (`--factory helsegraf.serving.endpoint_app:create`)."""
    return EndpointApp.from_env()
