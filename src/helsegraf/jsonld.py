"""Compact JSON-LD for one resource, using the project's prefixes as its context, without a JSON-LD processor.

The document is valid JSON-LD: every key is a compact IRI whose prefix the context defines, and values keep their
language or datatype, so it expands to exactly the resource's triples.
"""

from __future__ import annotations

import json

import pyoxigraph as ox

from .rdf.namespaces import PREFIXES

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def context() -> dict:
    return {"@context": dict(sorted(PREFIXES.items()))}


def _compact(iri: str) -> str:
    for p, ns in sorted(PREFIXES.items(), key=lambda kv: -len(kv[1])):
        local = iri[len(ns):]
        if iri.startswith(ns) and local and all(c.isalnum() or c in "_-." for c in local):
            return f"{p}:{local}"
    return iri


def _value(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"@id": term.value}
    if isinstance(term, ox.BlankNode):
        return {"@id": f"_:{term.value}"}
    if term.language:
        return {"@value": term.value, "@language": term.language}
    if term.datatype and term.datatype.value != XSD_STRING:
        return {"@value": term.value, "@type": term.datatype.value}
    return {"@value": term.value}


def document(subject: str, triples: list[ox.Triple], context_ref: str | dict | None = None) -> dict:
    doc: dict = {"@context": context_ref if context_ref is not None else context()["@context"], "@id": subject}
    types = sorted(_compact(t.object.value) for t in triples if t.predicate.value == RDF_TYPE)
    if types:
        doc["@type"] = types
    by_pred: dict[str, list] = {}
    for t in sorted(triples, key=lambda t: (t.predicate.value, str(t.object))):
        if t.predicate.value != RDF_TYPE:
            by_pred.setdefault(_compact(t.predicate.value), []).append(_value(t.object))
    doc.update(by_pred)
    return doc


def dumps(doc: dict) -> str:
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n"
