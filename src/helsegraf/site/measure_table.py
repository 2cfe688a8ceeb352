"""The table of every measure and commitment: one row per measure with its document, chapter, part and what it
names, the filters a reader narrows it with, and the same rows as CSV (tiltak.csv) for a spreadsheet.

The table page holds every row, so it works opened from disk; its script only hides rows. The CSV the build
writes and the CSV the page's script makes of the rows left after filtering have the same columns, and a
filtered download is a subset of the whole file, row for row.

A corpus of more than ROWS_PER_PAGE measures has a table per document instead (tiltak/<document>.html), and
tiltak.html lists them: every measure of the 64x synthetic corpus in one page was 45.5 MB, more than a browser
shows. The CSV keeps every row either way."""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from dataclasses import dataclass, field

import pyoxigraph as ox

from .data import ENTITY_KINDS, Part, sparql
from .links import last_segment
from .words import norwegian

# (CSV column, heading on the page). The entity columns come in the order of ENTITY_KINDS.
ENTITY_COLUMNS = {"actor": ("aktorer", "Aktører"), "law": ("lover", "Lover"), "report": ("rapporter", "Rapporter"),
                  "patient_group": ("pasientgrupper", "Pasientgrupper")}
COLUMNS = (("iri", "IRI"), ("dokument", "Dokument"), ("kapittel", "Kapittel"), ("del", "Del"), ("punkt", "Punkt"),
           ("tiltak", "Tiltak"), *(ENTITY_COLUMNS[k] for k, *_ in ENTITY_KINDS), ("tema", "Tema"),
           ("virkemiddel", "Virkemiddel"), ("gjentar", "Gjentar"))
MULTI = " | "  # between the values of one cell in the CSV: labels hold commas and semicolons
ROWS_PER_PAGE = 2_000  # the most measures one table page holds (~1.5 KB of HTML each on the corpus)


@dataclass
class Row:
    iri: str
    doc: dict
    chapter: Part | None
    part: Part | None
    item: dict
    names: dict[str, list[dict]]  # entity kind → [{iri, label}]
    topics: list[dict]
    instrument: dict | None
    restates: str  # the IRI of the measure this one states again, or ""
    tokens: list[str] = field(default_factory=list)  # what the filters match: "kind=value"

    def csv_fields(self, name=str) -> list[str]:
        """The row's cells; `name` gives an entity's, topic's or instrument's label in the table's language (the
        documents' own words stay as they are)."""
        def title(p: Part | None) -> str:
            return part_title(p) if p else ""
        return [self.iri, self.doc["short"], title(self.chapter), title(self.part), self.item["locator"],
                self.item["text"], *(MULTI.join(name(n["label"]) for n in self.names.get(k, [])) for k, *_ in ENTITY_KINDS),
                MULTI.join(name(t["label"]) for t in self.topics), name(self.instrument["label"]) if self.instrument else "",
                self.restates]


def part_title(p: Part) -> str:
    """"Boks 3.1 Regjeringen vil", "2.3 Tillit og styring", "Psykisk helse": as the part pages title them."""
    if p.kind == "Boks":
        return f"Boks {p.number} {p.title}".strip()
    return f"{p.number} {p.title}".strip()


def restatements(store: ox.Store) -> dict[str, str]:
    return {r["m"].value: r["o"].value for r in sparql(store, "SELECT ?m ?o WHERE { ?m hg:restates ?o }")}


def _token(kind: str, iri: str) -> str:
    return f"{kind}={last_segment(iri)}" if kind in ("doc", "chapter") else f"{kind}={iri}"


def rows(documents: list[dict], items: dict[str, list[dict]], top: dict[str, Part], parts: dict[str, Part],
         mentions: dict[str, list[dict]], types: dict[str, dict], restated: dict[str, str],
         broader: dict[str, list[str]]) -> list[Row]:
    """Every measure of every document, documents in the home page's order and each in reading order. A row's
    filter tokens include the broader concepts of what it names, so "Eldre" finds the measures for frail elderly."""
    kind_of_noun = {noun: kind for kind, _, _, noun in ENTITY_KINDS}
    out = []
    for d in documents:
        for it in items.get(d["iri"], []):
            if not it["measure"]:
                continue
            names: dict[str, list[dict]] = defaultdict(list)
            for m in mentions.get(it["item"], []):
                kind = kind_of_noun[m["kind"]]
                if all(n["iri"] != m["iri"] for n in names[kind]):
                    names[kind].append({"iri": m["iri"], "label": m["label"]})
            for v in names.values():
                v.sort(key=lambda n: (norwegian(n["label"]), n["iri"]))
            t = types.get(it["item"], {})
            row = Row(it["item"], d, top.get(it["part"]), parts.get(it["part"]), it, dict(names),
                      list(t.get("topics", [])), t.get("instrument"), restated.get(it["item"], ""))
            tokens = {_token("doc", d["iri"])}
            if row.chapter:
                tokens.add(f"chapter={row.chapter.iri}")
            for kind, found in row.names.items():
                for n in found:
                    tokens.update(f"{kind}={x}" for x in (n["iri"], *broader.get(n["iri"], [])))
            for topic in row.topics:
                tokens.update(f"topic={x}" for x in (topic["iri"], *broader.get(topic["iri"], [])))
            if row.instrument:
                tokens.add(f"instrument={row.instrument['iri']}")
            row.tokens = sorted(tokens)
            out.append(row)
    return out


def by_document(table: list[Row]) -> list[tuple[dict, list[Row]]]:
    """The rows of each document, in the table's order (documents in the home page's order, rows in reading
    order)."""
    groups: dict[str, tuple[dict, list[Row]]] = {}
    for r in table:
        groups.setdefault(r.doc["iri"], (r.doc, []))[1].append(r)
    return list(groups.values())


def filters(table: list[Row], label) -> list[dict]:
    """The table's filters: for each, its options (token, label, how many rows) by Norwegian collation, except
    documents and chapters, which keep reading order; chapters are grouped under their document."""
    count: dict[str, int] = defaultdict(int)
    for r in table:
        for t in r.tokens:
            count[t] += 1

    def options(kind: str) -> list[dict]:
        found = [{"token": t, "label": label(t.split("=", 1)[1]) or t.split("=", 1)[1], "count": n}
                 for t, n in count.items() if t.startswith(kind + "=")]
        return sorted(found, key=lambda o: (norwegian(o["label"]), o["token"]))

    docs: list[dict] = []
    seen = set()
    for r in table:
        token = _token("doc", r.doc["iri"])
        if token not in seen:
            seen.add(token)
            docs.append({"token": token, "label": r.doc["short"], "count": count[token], "chapters": []})
        if r.chapter and f"chapter={r.chapter.iri}" not in seen:
            seen.add(f"chapter={r.chapter.iri}")
            docs[-1]["chapters"].append({"token": f"chapter={r.chapter.iri}", "label": part_title(r.chapter),
                                         "count": count[f"chapter={r.chapter.iri}"]})
    chapters = [d for d in docs if d["chapters"]]
    out = [{"name": "doc", "label": "Dokument", "options": docs},
           {"name": "chapter", "label": "Kapittel", "groups": chapters}]
    for kind, *_ in ENTITY_KINDS:
        out.append({"name": kind, "label": ENTITY_COLUMNS[kind][1], "options": options(kind)})
    out.append({"name": "topic", "label": "Tema", "options": options("topic")})
    out.append({"name": "instrument", "label": "Virkemiddel", "options": options("instrument")})
    return [f for f in out if f.get("options") or f.get("groups")]


def to_csv(table: list[Row], name=str) -> str:
    """RFC 4180: comma-separated, CRLF line ends, a header of the column names."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([c for c, _ in COLUMNS])
    for r in table:
        w.writerow(r.csv_fields(name))
    return buf.getvalue()
