"""Compact JSON-LD for one resource, using the project's prefixes as its context, without a JSON-LD processor.

The document is valid JSON-LD: every key is a compact IRI whose prefix the context defines, and values keep their
language or datatype, so it expands to exactly the resource's triples.
"""

from __future__ import annotations

import json
from functools import lru_cache

import pyoxigraph as ox

from ..rdf.namespaces import PREFIXES
from .links import LINKS_CACHED

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def context() -> dict:
    return {"@context": dict(sorted(PREFIXES.items()))}


@lru_cache(maxsize=LINKS_CACHED)
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


def _node(key: str, by_subject: dict[str, list[ox.Triple]], seen: frozenset[str]) -> dict:
    """A node object; blank nodes it points to are embedded (they have no IRI to be linked by)."""
    node: dict = {}
    triples = by_subject.get(key, [])
    types = sorted(_compact(t.object.value) for t in triples if t.predicate.value == RDF_TYPE)
    if types:
        node["@type"] = types
    for t in sorted(triples, key=lambda t: (t.predicate.value, str(t.object))):
        if t.predicate.value == RDF_TYPE:
            continue
        o = t.object
        bkey = f"_:{o.value}" if isinstance(o, ox.BlankNode) else None
        value = _node(bkey, by_subject, seen | {bkey}) if bkey in by_subject and bkey not in seen else _value(o)
        node.setdefault(_compact(t.predicate.value), []).append(value)
    return node


def document(subject: str, triples: list[ox.Triple], context_ref: str | dict | None = None) -> dict:
    """The resource's JSON-LD; `triples` are its own and those of the blank nodes it points to."""
    by_subject: dict[str, list[ox.Triple]] = {}
    for t in triples:
        key = t.subject.value if isinstance(t.subject, ox.NamedNode) else f"_:{t.subject.value}"
        by_subject.setdefault(key, []).append(t)
    doc: dict = {"@context": context_ref if context_ref is not None else context()["@context"], "@id": subject}
    doc.update(_node(subject, by_subject, frozenset()))
    return doc


def documents(subjects: list[str], triples: list[ox.Triple], context_ref: str | dict | None = None) -> dict:
    """Several resources in one JSON-LD document (an @graph), e.g. the ontology with every term it defines."""
    if len(subjects) == 1:
        return document(subjects[0], triples, context_ref)
    by_subject: dict[str, list[ox.Triple]] = {}
    for t in triples:
        key = t.subject.value if isinstance(t.subject, ox.NamedNode) else f"_:{t.subject.value}"
        by_subject.setdefault(key, []).append(t)
    return {"@context": context_ref if context_ref is not None else context()["@context"],
            "@graph": [{"@id": s, **_node(s, by_subject, frozenset())} for s in subjects]}


def dumps(doc: dict) -> str:
    # No indent: with one, json falls back to its pure-Python encoder, the slowest step of rendering a page.
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")) + "\n"
