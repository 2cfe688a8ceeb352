"""The SPARQL query library (queries/*.rq): headers, lookup, and running a query in-process or over HTTP."""

from __future__ import annotations

import csv
import io
import json
import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox

from .errors import HelsegrafError, InputError
from .paths import queries_dir

HEADER_KEYS = ("title", "nb", "en", "columns")
# "# param: actor = id/aktor/helsedirektoratet": the query uses $actor in its pattern; its default is the value given
PARAM = re.compile(r"#\s*param:\s*([A-Za-z]\w*)\s*=\s*(\S+)\s*$")
_PATH = re.compile(r"^[A-Za-z0-9._~\-/]+$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_IRI = re.compile(r'^<[^<>"{}|^`\\\s]*>$')


@dataclass(frozen=True)
class LibraryQuery:
    name: str
    path: Path
    text: str
    header: dict[str, str]
    params: dict[str, str] = field(default_factory=dict)  # name → default, as the header writes it

    @property
    def columns(self) -> list[str]:
        return [c.lstrip("?") for c in self.header.get("columns", "").split()]

    def bind(self, values: dict[str, str], base: str) -> "LibraryQuery":
        """The query with each $parameter replaced by the value given, or else its default. A value is an IRI
        (<…> or http…), a number, a "string", a path under the base IRI (id/aktor/ks), or a last path segment that
        replaces the default's (ks for id/aktor/helsedirektoratet)."""
        unknown = sorted(set(values) - set(self.params))
        if unknown:
            declared = ", ".join(self.params) or "none"
            raise InputError(self.path, f"no parameter {', '.join(unknown)} in this query (its parameters: {declared})")
        text = self.text
        for name, default in self.params.items():
            term = _term(values.get(name, default), default, base, self.path, name)
            text = re.sub(r"\$" + name + r"\b", lambda _m, t=term: t, text)
        return replace(self, text=text)


def _term(value: str, default: str, base: str, path: Path, name: str) -> str:
    if _IRI.match(value):
        return value
    if value.startswith(("http://", "https://")) and " " not in value and ">" not in value:
        return f"<{value}>"
    if _NUMBER.match(value):
        return value
    if value.startswith('"') and value.endswith('"') and len(value) >= 2:
        return '"' + value[1:-1].replace("\\", "\\\\").replace('"', '\\"') + '"'
    if _PATH.match(value):
        if "/" not in value and "/" in default:
            value = default.rsplit("/", 1)[0] + "/" + value
        return f"<{base}{value}>"
    raise InputError(path, f"parameter {name}: {value!r} is neither an IRI, a number, a \"string\" nor a path "
                           "under the base IRI")


def parse_header(path: Path, text: str) -> dict[str, str]:
    """The leading '# key: value' comment lines of a query file."""
    header: dict[str, str] = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        m = re.match(r"#\s*([a-z]+):\s*(.*)$", line)
        if m and m.group(1) in HEADER_KEYS:
            header[m.group(1)] = (header.get(m.group(1), "") + " " + m.group(2)).strip()
    return header


def load_query(name_or_path: str, library: Path | None = None) -> LibraryQuery:
    library = library or queries_dir()
    path = Path(name_or_path)
    if not path.suffix and not path.exists():
        path = library / f"{name_or_path}.rq"
    if not path.is_file():
        known = ", ".join(q.name for q in library_queries(library))
        raise InputError(path, f"no such query file; the library has: {known}")
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as e:
        raise InputError(path, f"not UTF-8 ({e.reason})") from None
    return LibraryQuery(path.stem, path, text, parse_header(path, text), parse_params(text))


def parse_params(text: str) -> dict[str, str]:
    return {m.group(1): m.group(2) for line in text.splitlines() if line.startswith("#")
            for m in [PARAM.match(line)] if m}


def inline_query(text: str, where: str) -> LibraryQuery:
    """A query given on the command line or on standard input."""
    return LibraryQuery(where, Path(where), text, parse_header(Path(where), text), parse_params(text))


def library_queries(library: Path | None = None) -> list[LibraryQuery]:
    library = library or queries_dir()
    return [load_query(str(p), library) for p in sorted(library.glob("*.rq"))]


@dataclass
class Results:
    columns: list[str]
    rows: list[dict[str, dict]]  # SPARQL JSON bindings: {"var": {"type": ..., "value": ...}}


def _term_json(t) -> dict:
    if isinstance(t, ox.NamedNode):
        return {"type": "uri", "value": t.value}
    if isinstance(t, ox.BlankNode):
        return {"type": "bnode", "value": t.value}
    out = {"type": "literal", "value": t.value}
    if t.language:
        out["xml:lang"] = t.language
    elif t.datatype and t.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        out["datatype"] = t.datatype.value
    return out


def _syntax_error(q: LibraryQuery, message: str) -> InputError:
    from .sparql_errors import explain

    m = re.search(r"(\d+):(\d+)", message)
    return InputError(q.path, f"SPARQL syntax error: {explain(q.text, message)}", int(m.group(1)) if m else None)


def with_defaults(q: LibraryQuery) -> LibraryQuery:
    """The query with the parameters it was not given bound to their defaults, under the deployment's base IRI."""
    if not q.params or not any(f"${p}" in q.text for p in q.params):
        return q
    from .deployment import load_deployment
    from .paths import deployment_path

    return q.bind({}, load_deployment(deployment_path()).base_iri)


def run_local(q: LibraryQuery, store_path: Path) -> Results:
    q = with_defaults(q)
    if not (store_path / "CURRENT").exists() and not any(store_path.glob("*")):
        raise HelsegrafError(f"no store at {store_path}: run 'helsegraf build' first")
    store = ox.Store.read_only(str(store_path))
    try:
        res = store.query(q.text, use_default_graph_as_union=True)
    except SyntaxError as e:
        raise _syntax_error(q, str(e)) from None
    if not isinstance(res, ox.QuerySolutions):
        raise InputError(q.path, "only SELECT queries can be shown as a table; use the endpoint for CONSTRUCT/ASK")
    cols = [v.value for v in res.variables]
    rows = [{c: _term_json(s[c]) for c in cols if s[c] is not None} for s in res]
    return Results(cols, rows)


def run_remote(q: LibraryQuery, endpoint: str, timeout: float = 30) -> Results:
    q = with_defaults(q)
    req = urllib.request.Request(endpoint, data=q.text.encode("utf-8"), method="POST", headers={
        "Content-Type": "application/sparql-query", "Accept": "application/sparql-results+json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            body = json.loads(resp.read().decode("utf-8"))
    except urllib.error.HTTPError as e:
        detail = e.read().decode("utf-8", "replace")[:500]
        if e.code == 400:
            raise _syntax_error(q, detail) from None
        raise HelsegrafError(f"{endpoint} answered HTTP {e.code}: {detail}") from None
    except (urllib.error.URLError, OSError) as e:
        raise HelsegrafError(f"cannot reach {endpoint}: {e}") from None
    return Results(body["head"]["vars"], body["results"]["bindings"])


def _id_base() -> str:
    from .deployment import load_deployment
    from .paths import deployment_path

    return load_deployment(deployment_path()).base_iri + "id/"


def format_results(res: Results, fmt: str) -> str:
    if fmt == "json":
        return json.dumps({"head": {"vars": res.columns}, "results": {"bindings": res.rows}}, ensure_ascii=False, indent=2) + "\n"
    values = [[r.get(c, {}).get("value", "") for c in res.columns] for r in res.rows]
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(res.columns)
        w.writerows(values)
        return buf.getvalue()
    if fmt == "tsv":
        return "\n".join("\t".join(v.replace("\t", " ").replace("\n", " ") for v in row) for row in [res.columns] + values) + "\n"
    # A table for reading: IRIs compacted by the project's prefixes (hg:Measure, …/id/… as id:…) and never cut, so
    # that they can be copied; long texts are cut at 60 characters.
    from .rdf.namespaces import PREFIXES

    id_base = _id_base()
    by_length = sorted(((p, ns) for p, ns in {**PREFIXES, "id": id_base}.items() if ns), key=lambda x: -len(x[1]))

    def shown(cell: dict) -> str:
        value = cell.get("value", "")
        if cell.get("type") == "uri":
            for p, ns in by_length:
                if value.startswith(ns) and re.fullmatch(r"[\w.\-/]*", value[len(ns):]):
                    return f"{p}:{value[len(ns):]}"
        return value

    values = [[shown(r.get(c, {})) for c in res.columns] for r in res.rows]
    iri_col = [all(r.get(c, {}).get("type") in ("uri", None) for r in res.rows) for c in res.columns]
    widths = [max([len(c)] + [len(v[i]) for v in values]) if iri_col[i] else min(60, max([len(c)] + [len(v[i]) for v in values]))
              for i, c in enumerate(res.columns)]

    def cut(s: str, w: int) -> str:
        s = s.replace("\n", " ")
        return s if len(s) <= w else s[: w - 1] + "…"

    lines = [" | ".join(cut(c, w).ljust(w) for c, w in zip(res.columns, widths))]
    lines.append("-+-".join("-" * w for w in widths))
    lines += [" | ".join(cut(v, w).ljust(w) for v, w in zip(row, widths)) for row in values]
    lines.append(f"({len(values)} rows)" + (f"; id: is {id_base}" if any(v.startswith("id:") for row in values for v in row) else ""))
    return "\n".join(line.rstrip() for line in lines) + "\n"
