"""SHACL validation of the built graph with pyshacl, and a report a person can read."""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Namespace
from rdflib.namespace import RDF

SH = Namespace("http://www.w3.org/ns/shacl#")


def check(data: Graph, shapes_path: Path, ontology: Graph | None = None) -> tuple[bool, str, int]:
    """(conforms, readable report, number of violations)."""
    shapes = Graph().parse(shapes_path, format="turtle")
    conforms, report, _ = validate(data, shacl_graph=shapes, ont_graph=ontology, inference="none",
                                   advanced=False, allow_warnings=True)
    results = list(report.subjects(RDF.type, SH.ValidationResult))
    violations = [r for r in results if report.value(r, SH.resultSeverity) == SH.Violation]
    lines = [_line(report, r) for r in sorted(violations, key=lambda r: (str(report.value(r, SH.focusNode)),
                                                                       str(report.value(r, SH.resultPath))))]
    return conforms, _readable(lines), len(violations)


def _line(report: Graph, result) -> str:
    return (f"- {report.value(result, SH.focusNode)}\n    path: {report.value(result, SH.resultPath)}\n"
            f"    {report.value(result, SH.resultMessage)}")


def _readable(lines: list[str], most: int = 50) -> str:
    return "\n".join(lines[:most] + ([f"... and {len(lines) - most} more"] if len(lines) > most else []))


# -- validation in parts, so that rdflib never holds the whole graph -------------------------------------------------
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
PART_TRIPLES = 40_000  # the triples of the subjects validated at once (their neighbourhood comes on top)
# Up to this many triples the graph is validated whole: in parts it takes ~2.4× the time (each part carries its
# neighbourhood), which pays only where the whole graph in rdflib (~2 KB a triple) would be the build's peak.
WHOLE_UP_TO = 250_000


def check_triples(triples: list, shapes_path: Path) -> tuple[bool, str, int]:
    """`check` over a graph given as pyoxigraph triples: whole when it is small, else in parts."""
    if len(triples) > WHOLE_UP_TO:
        return check_in_parts(triples, shapes_path)
    import pyoxigraph as ox

    g = Graph()
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    return check(g, shapes_path)


def _key(term) -> str:
    return str(term)  # N-Triples form: "<iri>" or "_:id"


def check_in_parts(triples: list, shapes_path: Path, part_triples: int = PART_TRIPLES) -> tuple[bool, str, int]:
    """The same verdict as `check` over the whole graph, with rdflib holding one part at a time.

    The subjects are taken in order, a part at a time. A part's graph holds its subjects' triples, the types of
    every node they point to (what sh:class asks of a value), and blank nodes whole with whoever points to them.
    A node some shape targets as the object of a property (sh:targetObjectsOf) is validated where it is pointed
    to, so it comes whole too, with its values' types. A violation counts only where its focus is whole in the
    part (the shapes use no property paths longer than one step, no sh:node and no SPARQL;
    tests/test_validation.py holds this to the whole-graph verdict). Neighbours come with their types only: a hub
    (a document, a topic) pointed to from every part would otherwise come whole into each, and the parts would
    grow with the corpus (bench/results/scale.txt measured that)."""
    import pyoxigraph as ox

    shapes = Graph().parse(shapes_path, format="turtle")
    by_subject: dict[str, list] = {}
    for t in triples:
        by_subject.setdefault(_key(t.subject), []).append(t)
    object_targets = {str(o) for o in shapes.objects(None, SH.targetObjectsOf)}
    targeted = {_key(t.object) for t in triples if t.predicate.value in object_targets}

    def closure(node: str, into: list, seen: set) -> None:
        """A node's triples and, recursively, those of the blank nodes it points to."""
        if node in seen:
            return
        seen.add(node)
        for t in by_subject.get(node, ()):
            into.append(t)
            if isinstance(t.object, ox.BlankNode):
                closure(_key(t.object), into, seen)

    def objects(nodes: set[str]) -> set[str]:
        return {_key(t.object) for n in nodes for t in by_subject.get(n, ())
                if isinstance(t.object, (ox.NamedNode, ox.BlankNode))}

    subjects = [s for s in by_subject if not s.startswith("_:")]  # blank nodes come with their subjects
    found: dict[tuple, str] = {}
    start = 0
    while start < len(subjects):
        own, size = set(), 0
        while start < len(subjects) and (size < part_triples or not own):
            own.add(subjects[start])
            size += len(by_subject[subjects[start]])
            start += 1
        # a targeted object the graph says nothing about is whole all the same: all it has (nothing) is there
        whole = own | (objects(own) & targeted)
        data, seen = [], set()
        for n in sorted(whole):
            closure(n, data, seen)
        for n in sorted(objects(seen) - seen):
            if n.startswith("_:"):
                closure(n, data, seen)
            else:
                data += [t for t in by_subject.get(n, ()) if t.predicate.value == RDF_TYPE]
        g = Graph()
        g.parse(data=ox.serialize(data, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
        _, report, _ = validate(g, shacl_graph=shapes, inference="none", advanced=False, allow_warnings=True)
        for r in report.subjects(RDF.type, SH.ValidationResult):
            if report.value(r, SH.resultSeverity) != SH.Violation:
                continue
            focus = report.value(r, SH.focusNode)
            if not focus.n3().startswith("_:") and focus.n3() not in whole:
                continue  # a neighbour: the part holds only its types
            key = tuple(str(report.value(r, p)) for p in (SH.focusNode, SH.resultPath, SH.sourceConstraintComponent,
                                                          SH.resultMessage))
            found[key] = _line(report, r)
        del g, report
    lines = [found[k] for k in sorted(found)]
    return not lines, _readable(lines), len(lines)
