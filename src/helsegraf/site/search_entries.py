"""The search page's own small index (sok-indeks.js): for every page Pagefind indexes, its path, name, type,
document and identifiers. The search page uses it for three things Pagefind cannot do here: an exact identifier
(LOV-1999-07-02-64, NOU 2020: 13, an organisation number) finds its resource first; results are filtered by type
and document (Pagefind's own filter index is not deterministic, and builds must be); and opened from disk, where a
browser lets no script fetch Pagefind's index, the page still searches names, texts and identifiers.

It is a script, not JSON, because a page opened from disk may load a script beside it but not fetch a file."""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict

import pyoxigraph as ox

from ..rdf.namespaces import ADMS, DCTERMS, ELI, SKOS
from .links import last_segment
from .store_view import StoreView
from .writer import Page

# page template → the type a search result shows; items are measures or text items, entities their kind
TYPES = (("measure", "Tiltak"), ("text-item", "Tekstpunkt"), ("document", "Dokument"), ("part", "Del av dokument"),
         ("actor", "Aktør"), ("law", "Lov"), ("report", "Rapport"), ("patient_group", "Pasientgruppe"),
         ("topic", "Tema"), ("term", "Ontologiterm"))
ID_PROPS = (str(DCTERMS.identifier), str(ELI.id_local), str(SKOS.altLabel), str(DCTERMS.alternative),
            str(SKOS.notation))
NOTATION, ADMS_IDENTIFIER = str(SKOS.notation), str(ADMS.identifier)


def normal(text: str) -> str:
    """An identifier as the search compares it: letters and digits only, case folded, so that "NOU 2020:13",
    "nou-2020-13" and "NOU 2020: 13" are one. The page's script does the same (static/search.js)."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", folded)


def _type(page: Page) -> str | None:
    if page.template == "item.html":
        return "measure" if page.ctx["item"]["measure"] else "text-item"
    if page.template == "entity.html":
        return page.ctx["kind"]
    return {"document.html": "document", "part.html": "part", "topic.html": "topic", "term.html": "term"}.get(
        page.template)


def identifiers(view: StoreView) -> dict[str, str]:
    """Resource → its identifiers (its own, and the notations of the identifier nodes it has), sorted and joined
    with " | ", read a property at a time."""
    found: dict[str, set[str]] = defaultdict(set)
    notations = view.all_values(NOTATION)  # an identifier itself, and what an identifier node carries
    for p in ID_PROPS:
        for s, values in (notations if p == NOTATION else view.all_values(p)).items():
            found[s].update(v.value for v in values if isinstance(v, ox.Literal))
    for s, values in view.all_values(ADMS_IDENTIFIER).items():
        for v in values:
            if isinstance(v, ox.NamedNode):
                found[s].update(n.value for n in notations.get(v.value, ()))
    return {s: " | ".join(sorted(v)) for s, v in found.items() if v}


def entries(pages: list[Page], ids: dict[str, str], label) -> list[list]:
    """[path, name, type, document slug, identifiers] for every page the search covers, in path order."""
    out = []
    for page in pages:
        kind = _type(page)
        if kind is None or not page.iri:
            continue
        doc = page.ctx.get("doc")
        name = page.ctx["item"]["text"] if page.template == "item.html" else label(page.iri)
        if page.template == "item.html":
            name = f"{page.ctx['item']['locator']}: {name}"
        out.append([page.path, name, kind, last_segment(doc["iri"]) if doc else "", ids.get(page.iri, "")])
    return sorted(out)


def script(found: list[list], documents: list[dict], gettext=str) -> str:
    data = {"types": {k: gettext(name) for k, name in TYPES}, "documents": {last_segment(d["iri"]): d["short"] for d in documents},
            "entries": found}
    # "<" escaped: no text in the index can close a script element wherever the file is included
    return "window.helsegrafSok = " + json.dumps(data, ensure_ascii=False, sort_keys=True).replace("<", "\\u003c") + ";\n"
