"""Load benchmark: the query library replayed by `hey` with N concurrent clients on loopback against helsegraf,
rdflib-endpoint and Virtuoso serving the same build, side by side in one run.

Reports requests/s and p50/p95/p99 latency per query and system, and helsegraf's throughput as a ratio of each
peer's. A request that takes over 30 s counts as failed; before each query the peer must be idle again. Targets (bench/README.md): >= 10x rdflib-endpoint and >= 1x Virtuoso on every query, p99 <= 50 ms at 20
clients. Usage:

    python bench/endpoint_load.py [--clients 20] [--seconds 5] [--only QUERY ...] [--peers helsegraf,rdflib-endpoint,virtuoso]
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import subprocess
import sys
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import peers  # noqa: E402
from machine import describe  # noqa: E402

from repo import DEFAULT_BUILD, ROOT  # noqa: E402
from helsegraf.queries import library_queries, with_defaults  # noqa: E402


def run_hey(url: str, query: str, clients: int, seconds: float) -> dict:
    target = url + "?" + urllib.parse.urlencode({"query": query})
    out = subprocess.run(["hey", "-z", f"{seconds}s", "-c", str(clients), "-t", "30",
                          "-H", "Accept: application/sparql-results+json", target],
                         capture_output=True, text=True, timeout=seconds + 120).stdout
    total = re.search(r"Total:\s+([\d.]+) secs", out)
    codes = {int(c): int(n) for c, n in re.findall(r"\[(\d{3})\]\s+(\d+) responses", out)}
    # Only successful answers count: a peer that times out or fails does not gain throughput from it.
    result = {"rps": codes.get(200, 0) / float(total.group(1)) if total else 0.0}
    for pct in ("50", "95", "99"):
        m = re.search(rf"\s{pct}% in ([\d.]+) secs", out)
        result[f"p{pct}_ms"] = float(m.group(1)) * 1000 if m else None
    result["codes"] = codes
    errors = re.search(r"Error distribution:(.*)", out, re.S)
    result["errors"] = errors.group(1).strip()[:300] if errors else ""
    result["ok"] = bool(codes) and set(codes) == {200} and not result["errors"]
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", type=Path, default=DEFAULT_BUILD)
    ap.add_argument("--clients", type=int, default=20)
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--only", nargs="*")
    ap.add_argument("--peers", default="helsegraf,virtuoso,rdflib-endpoint")
    ap.add_argument("--json", type=Path, default=ROOT / "build" / "bench" / "endpoint_load.json")
    ap.add_argument("--report", type=Path, nargs="*", help="print the table from earlier runs' JSON files, and run nothing")
    args = ap.parse_args()
    if args.report:
        merged: dict[str, dict] = {}
        for path in args.report:
            data = json.loads(path.read_text())
            print(f"{path}: machine: {data['machine']}; {data['clients']} clients, {data['seconds']} s per query")
            merged.update(data["results"])
        print_table(merged, [q for q in library_queries() if not args.only or q.name in args.only])
        return
    if not shutil.which("hey"):
        sys.exit("hey is not installed: apt-get install hey")
    if not (args.build / "store").is_dir():
        sys.exit(f"no build at {args.build}: run 'helsegraf build' first")
    queries = [q for q in library_queries() if not args.only or q.name in args.only]
    starters = {"helsegraf": peers.helsegraf, "rdflib-endpoint": peers.rdflib_endpoint, "virtuoso": peers.virtuoso}
    results: dict[str, dict] = {}
    print(f"machine: {describe()}")
    print(f"load: hey, {args.clients} clients, {args.seconds:g} s per query and system, loopback, GET, JSON results")
    for name in args.peers.split(","):
        try:
            peer = starters[name](args.build)
        except Exception as e:  # noqa: BLE001 - a peer that cannot start is reported, not fatal
            print(f"{name}: not run ({e})")
            continue
        print(f"{name}: ready in {peer.setup_s:.1f} s ({'; '.join(peer.notes)})", flush=True)
        results[name] = {}
        try:
            for q in queries:
                # Abandoned requests of the previous query may still be running: wait until the peer is idle, and
                # start it afresh if it stays busy, so each query is measured from an idle server.
                try:
                    peers.wait_idle(peer.url, 60)
                except RuntimeError:
                    peer.stop()
                    peer = starters[name](args.build)
                results[name][q.name] = run_hey(peer.url, with_defaults(q).text, args.clients, args.seconds)
                r = results[name][q.name]
                print(f"  {q.name}: {r['rps']:.0f} req/s, p99 {r['p99_ms']} ms{'' if r['ok'] else ' (errors)'}", flush=True)
        finally:
            peer.stop()
            args.json.parent.mkdir(parents=True, exist_ok=True)
            args.json.write_text(json.dumps({"machine": describe(), "clients": args.clients, "seconds": args.seconds,
                                             "results": results}, indent=2))
    print_table(results, queries)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps({"machine": describe(), "clients": args.clients, "seconds": args.seconds,
                                     "results": results}, indent=2))
    print(f"details: {args.json}")


def print_table(results: dict[str, dict], queries) -> None:
    names = list(results)
    header = f"{'query':<34}" + "".join(f"{n + ' req/s':>22}{'p50/p95/p99 ms':>22}" for n in names)
    if "helsegraf" in results:
        header += "".join(f"{'x ' + n:>18}" for n in names if n != "helsegraf")
    print(header)
    for q in queries:
        line = f"{q.name:<34}"
        for n in names:
            r = results[n].get(q.name)
            if r is None:
                line += f"{'not run':>22}{'':>22}"
                continue
            lat = "/".join("-" if r[k] is None else f"{r[k]:.0f}" for k in ("p50_ms", "p95_ms", "p99_ms"))
            flag = "" if r["ok"] else " !"
            line += f"{r['rps']:>20.0f}{flag:2}{lat:>22}"
        if "helsegraf" in results:
            for n in names:
                if n != "helsegraf":
                    mine = results["helsegraf"].get(q.name, {}).get("rps", 0)
                    other = results[n].get(q.name, {}).get("rps", 0)
                    line += f"{(mine / other if other else float('inf')):>18.1f}"
        print(line)
    print("'!' marks a run with non-200 answers or connection errors (see the JSON for details).")


if __name__ == "__main__":
    main()
