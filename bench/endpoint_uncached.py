"""Uncached endpoint load: distinct queries, no two alike, as real users send them, side by side in one run.

Five query shapes, each with parameters drawn from the graph itself (every subject, every actor, words from the
measures' texts, every document), and a request counter in a comment, so no answer can come from a cache. `wrk`
sends them (a Lua script picks the next query per request) with 1 and 20 connections on loopback, against:

- helsegraf: `helsegraf serve` (granian, the evaluator pool; its result cache never hits here),
- oxigraph-bare: the Oxigraph server alone, the engine's own throughput (no timeout: its --timeout-s starts a
  thread per query, the defect issue #9 describes),
- virtuoso: Debian's Virtuoso 7 (20 HTTP threads), when installed,
- rdflib-endpoint: when installed in its own venv (make bench does that).

Reports requests/s and p50/p99 per shape, connections and peer, only 200 answers counted, the machine it ran on,
and helsegraf's ratio to each peer. Usage:

    python bench/endpoint_uncached.py [--seconds 5] [--peers helsegraf,oxigraph-bare,virtuoso,rdflib-endpoint]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers  # noqa: E402
from machine import describe  # noqa: E402

from repo import DEFAULT_BUILD, ROOT  # noqa: E402

HG = "https://w3id.org/helsegraf/ontology#"
PREFIXES = f"PREFIX hg: <{HG}> PREFIX schema: <https://schema.org/> PREFIX dcterms: <http://purl.org/dc/terms/> "
SHAPES = {
    "lookup": "SELECT ?p ?o WHERE {{ <{s}> ?p ?o }}",
    "actor": "SELECT ?m ?text WHERE {{ ?m a hg:Measure ; hg:mentionsActor <{actor}> ; schema:text ?text }}",
    "path": "SELECT ?part ?title WHERE {{ <{m}> hg:inPart/dcterms:isPartOf* ?part . "
            "OPTIONAL {{ ?part dcterms:title ?title }} }}",
    "contains": "SELECT ?m ?text WHERE {{ ?m a hg:Measure ; schema:text ?text . "
                "FILTER(CONTAINS(LCASE(STR(?text)), \"{word}\")) }}",
    "aggregate": "SELECT ?doc (COUNT(DISTINCT ?m) AS ?measures) (COUNT(DISTINCT ?e) AS ?entities) WHERE {{ "
                 "?m a hg:Measure ; hg:inDocument ?doc ; hg:position ?pos . OPTIONAL {{ ?m hg:mentions ?e }} "
                 "FILTER(?pos >= {pos}) }} GROUP BY ?doc",
}
LUA = """
local queries = {}
for line in io.lines("%(queries)s") do queries[#queries + 1] = line end
-- tid is a global on purpose: setup() sets it in each thread's own Lua state, so the threads' counters differ.
local counter = 0
local created = 0
tid = 0
function setup(thread) created = created + 1; thread:set("tid", created) end
function init(args) counter = 0 end
request = function()
  counter = counter + 1
  local q = queries[(counter %% #queries) + 1]
  local body = "query=" .. q .. "%%20%%23%%20" .. tostring(tid) .. "-" .. tostring(counter)
  return wrk.format("POST", "%(path)s", {["Content-Type"] = "application/x-www-form-urlencoded",
                                          ["Accept"] = "application/sparql-results+json"}, body)
end
local codes = {}
response = function(status, headers, body) codes[status] = (codes[status] or 0) + 1 end
done = function(summary, latency, requests)
  io.write(string.format("RESULT requests=%%d errors=%%d status=%%d p50=%%f p99=%%f duration=%%f\\n",
    summary.requests, summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99), summary.duration))
end
"""


def parameters(store_path: Path, seed: int = 20261129) -> dict[str, list[str]]:
    store = ox.Store.read_only(str(store_path))

    def col(q: str) -> list[str]:
        return [r[0].value for r in store.query(PREFIXES + q, use_default_graph_as_union=True)]

    texts = col("SELECT ?t WHERE { ?m a hg:Measure ; schema:text ?t }")
    words = sorted({w for t in texts for w in re.findall(r"[a-zæøå]{5,}", t.lower())})
    rng = random.Random(seed)
    return {
        "s": rng.sample(col("SELECT DISTINCT ?s WHERE { ?s ?p ?o FILTER(isIRI(?s)) }"), 3000),
        "actor": col("SELECT DISTINCT ?a WHERE { ?a a hg:Actor }"),
        "m": col("SELECT ?m WHERE { ?m a hg:Measure }"),
        "word": rng.sample(words, min(2000, len(words))),
        "pos": [str(i) for i in range(1, 200)],
    }


def queries_for(shape: str, params: dict[str, list[str]], n: int = 2000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    keys = re.findall(r"{(\w+)}", SHAPES[shape])
    return [PREFIXES + SHAPES[shape].format(**{k: rng.choice(params[k]) for k in keys}) for _ in range(n)]


def run_wrk(url: str, queries: list[str], connections: int, seconds: float, work: Path) -> dict:
    qfile = work / "queries.txt"
    qfile.write_text("\n".join(urllib.parse.quote(q, safe="") for q in queries) + "\n")
    parts = urllib.parse.urlsplit(url)
    script = work / "distinct.lua"
    script.write_text(LUA % {"queries": qfile, "path": parts.path or "/"})
    out = subprocess.run(["wrk", "-t", str(min(connections, 2)), "-c", str(connections), "-d", f"{max(1, round(seconds))}s",
                          "--timeout", "30s", "-s", str(script), f"{parts.scheme}://{parts.netloc}{parts.path}"],
                         capture_output=True, text=True, timeout=seconds + 120).stdout
    m = re.search(r"RESULT requests=(\d+) errors=(\d+) status=(\d+) p50=([\d.]+) p99=([\d.]+) duration=([\d.]+)", out)
    if not m:
        return {"rps": 0.0, "p50_ms": None, "p99_ms": None, "ok": False, "raw": out[-500:]}
    requests, errors, bad, p50, p99, duration = (float(x) for x in m.groups())
    good = requests - bad
    return {"rps": good / (duration / 1e6), "p50_ms": p50 / 1000, "p99_ms": p99 / 1000, "requests": int(requests),
            "non_200": int(bad), "socket_errors": int(errors), "ok": bad == 0 and errors == 0}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", type=Path, default=DEFAULT_BUILD)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--connections", default="1,20")
    ap.add_argument("--peers", default="helsegraf,oxigraph-bare,virtuoso,rdflib-endpoint")
    ap.add_argument("--shapes", default=",".join(SHAPES))
    ap.add_argument("--json", type=Path, default=ROOT / "build" / "bench" / "endpoint_uncached.json")
    ap.add_argument("--soak", type=float, metavar="SECONDS",
                    help="instead: distinct lookups from 100 connections for SECONDS against helsegraf alone, then "
                         "check that it still answers (issue #9: a sustained 5,000 queries/s for 60 s)")
    args = ap.parse_args()
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed: apt-get install wrk")
    params = parameters(args.build / "store")
    if args.soak:
        soak(args.build, params, args.soak)
        return
    shapes = args.shapes.split(",")
    conns = [int(c) for c in args.connections.split(",")]
    starters = {"helsegraf": peers.helsegraf, "oxigraph-bare": peers.oxigraph_bare, "virtuoso": peers.virtuoso,
                "rdflib-endpoint": peers.rdflib_endpoint}
    print(f"machine: {describe()}")
    print(f"load: wrk, distinct queries (a counter in each), {args.seconds:g} s per shape, connections and peer, "
          "loopback, POST form, JSON results")
    results: dict[str, dict] = {}
    work = Path(tempfile.mkdtemp(prefix="hg-uncached-"))
    for name in args.peers.split(","):
        try:
            peer = starters[name](args.build)
        except Exception as e:  # noqa: BLE001 - a peer that cannot start is reported, not fatal
            print(f"{name}: not run ({e})", flush=True)
            continue
        print(f"{name}: ready in {peer.setup_s:.1f} s ({'; '.join(peer.notes)})", flush=True)
        results[name] = {}
        try:
            for shape in shapes:
                for c in conns:
                    peers.wait_idle(peer.url, 60)
                    r = run_wrk(peer.url, queries_for(shape, params), c, args.seconds, work)
                    results[name][f"{shape}@{c}"] = r
                    print(f"  {shape:<10} {c:>3} conn: {r['rps']:8.0f} req/s  p50 {r['p50_ms']} ms  p99 {r['p99_ms']} ms"
                          f"{'' if r['ok'] else '  (non-200 or socket errors: ' + str(r.get('non_200')) + ')'}",
                          flush=True)
        finally:
            peer.stop()
    shutil.rmtree(work, ignore_errors=True)
    print_table(results, shapes, conns)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": describe(), "seconds": args.seconds, "results": results}, indent=2))
    print(f"details: {args.json}")


def soak(build: Path, params: dict[str, list[str]], seconds: float) -> None:
    print(f"machine: {describe()}")
    peer = peers.helsegraf(build)
    work = Path(tempfile.mkdtemp(prefix="hg-soak-"))
    try:
        queries = queries_for("lookup", params, n=20000) + queries_for("actor", params, n=5000)
        r = run_wrk(peer.url, queries, 100, seconds, work)
        print(f"soak: {seconds:g} s, 100 connections, distinct lookups: {r['requests']} requests, {r['rps']:.0f} "
              f"answered/s, {r['non_200']} non-200, {r['socket_errors']} socket errors, p50 {r['p50_ms']} ms, "
              f"p99 {r['p99_ms']} ms")
        health_url = peer.url.rsplit("/", 1)[0] + "/health"
        with urllib.request.urlopen(health_url, timeout=10) as h:
            print(f"after: /health {h.status}: {h.read().decode().strip()}")
        started = time.perf_counter()
        peers.wait_idle(peer.url, 10)
        print(f"after: a probe query answered in {(time.perf_counter() - started) * 1000:.1f} ms")
    finally:
        peer.stop()
        shutil.rmtree(work, ignore_errors=True)


def print_table(results: dict, shapes: list[str], conns: list[int]) -> None:
    names = list(results)
    print(f"\n{'shape':<12}{'conn':>5}" + "".join(f"{n:>34}" for n in names)
          + "".join(f"{'helsegraf / ' + n:>28}" for n in names if n != "helsegraf" and "helsegraf" in results))
    for shape in shapes:
        for c in conns:
            key = f"{shape}@{c}"
            line = f"{shape:<12}{c:>5}"
            for n in names:
                r = results[n].get(key)
                cell = "-" if r is None else f"{r['rps']:.0f}/s p50 {r['p50_ms'] or 0:.1f} p99 {r['p99_ms'] or 0:.1f}" + \
                    ("" if r["ok"] else " !")
                line += f"{cell:>34}"
            if "helsegraf" in results:
                mine = results["helsegraf"].get(key, {}).get("rps", 0)
                for n in names:
                    if n != "helsegraf":
                        other = results[n].get(key, {}).get("rps", 0)
                        line += f"{(f'{mine / other:.2f}x' if other else '-'):>28}"
            print(line)
    print("req/s counts 200 answers only; '!' marks non-200 answers or socket errors (see the JSON).")


if __name__ == "__main__":
    main()
