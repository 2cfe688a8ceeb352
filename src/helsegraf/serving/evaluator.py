"""One evaluator process: opens the store read-only and answers queries sent as frames on stdin, on stdout.

It runs apart from the HTTP server so that whatever a query does to it — a stack overflow, an allocation past its
memory limit, a runaway evaluation that must be killed — costs one evaluation and one process, which the pool
replaces (the pool watches its memory and its deadline, and kills it past either). It stops a streaming answer
itself when the deadline passes or the answer grows past the size limit, which costs no restart.

Run as: python -m helsegraf.serving.evaluator STORE
"""

from __future__ import annotations

import json
import signal
import sys
import time

import pyoxigraph as ox

from .process import die_with_parent
from .formats import GRAPHS, SOLUTIONS, NotAcceptable, choose
from .wire import HEADER, frame, json_frame


class _Stop(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status, self.message = status, message


class _Sink:
    """Collects what the engine writes; stops it at the size limit or the deadline."""

    def __init__(self, limit: int, deadline: float, timeout_s: float):
        self.parts: list[bytes] = []
        self.size, self.limit, self.deadline, self.timeout_s = 0, limit, deadline, timeout_s

    def write(self, data) -> int:
        self.size += len(data)
        if self.size > self.limit:
            raise _Stop(413, f"The result is larger than {self.limit} bytes. Narrow the query, or add a LIMIT.")
        if time.monotonic() > self.deadline:
            raise _Stop(503, f"The query did not finish within {self.timeout_s:g} s and was stopped. Narrow it, or "
                             "add a LIMIT.")
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        pass


def _dataset(req: dict) -> dict:
    defaults = [ox.NamedNode(u) for u in req.get("default_graph_uri", [])]
    named = [ox.NamedNode(u) for u in req.get("named_graph_uri", [])]
    if not defaults and not named:
        return {"use_default_graph_as_union": True}
    kw = {}
    if defaults:
        kw["default_graph"] = defaults
    if named:
        kw["named_graphs"] = named
    return kw


def evaluate(store: ox.Store, req: dict) -> tuple[dict, bytes]:
    started = time.monotonic()
    sink = _Sink(req["max_bytes"], started + req.get("remaining_s", req["timeout_s"]), req["timeout_s"])
    try:
        results = store.query(req["query"], base_iri=req.get("base_iri"), **_dataset(req))
        if isinstance(results, ox.QueryTriples):
            fmt, ctype = choose(req.get("accept"), GRAPHS)
        else:
            fmt, ctype = choose(req.get("accept"), SOLUTIONS)
        results.serialize(sink, format=fmt)
    except _Stop as e:
        return {"status": e.status, "error": e.message}, b""
    except NotAcceptable as e:
        return {"status": 406, "error": str(e)}, b""
    except SyntaxError as e:
        from ..sparql_errors import explain

        return {"status": 400, "error": f"The query is not valid SPARQL 1.1: {explain(req['query'], str(e))}"}, b""
    except ValueError as e:  # a malformed IRI in default-graph-uri / named-graph-uri
        return {"status": 400, "error": str(e)}, b""
    except OSError as e:
        return {"status": 500, "error": f"The store could not answer: {e}"}, b""
    except Exception as e:  # noqa: BLE001 - whatever the engine raises is this query's answer, not the process's end
        return {"status": 500, "error": f"The query could not be evaluated: {e}"}, b""
    return {"status": 200, "content_type": ctype}, b"".join(sink.parts)


def _read_exact(stream, n: int) -> bytes | None:
    data = stream.read(n)
    return data if data and len(data) == n else None


def main(argv: list[str]) -> int:
    die_with_parent(signal.SIGKILL)
    store_path = argv[0]
    store = ox.Store.read_only(store_path)
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    stdout.write(json_frame({"ready": True}))
    stdout.flush()
    while True:
        head = _read_exact(stdin, HEADER.size)
        if head is None:
            return 0
        body = _read_exact(stdin, HEADER.unpack(head)[0])
        if body is None:
            return 0
        answer, payload = evaluate(store, json.loads(body))
        stdout.write(frame(json_frame(answer) + payload))
        stdout.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
