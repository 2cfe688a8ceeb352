"""SHACL validation of the built graph with pyshacl, and a report a person can read."""

from __future__ import annotations

from pathlib import Path

from pyshacl import validate
from rdflib import Graph, Namespace, URIRef
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
PART_TRIPLES = 40_000  # the triples of the subjects validated at once (their neighbours' types come on top)
# Up to this many triples the graph is validated whole. On the corpus graph (171,230 triples) parts take 1.2x the
# time (10.4 s against 8.7 s) for half the memory (266 against 521 MiB); the seed corpus and the test builds stay
# whole, a corpus that would make rdflib's copy the build's peak goes in parts (bench/validation_parts.py).
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

    The subjects are taken in order, a part at a time. A part's graph holds its subjects' triples (blank nodes
    whole with whoever points to them) and the types of every node they point to (what sh:class asks of a value).
    A violation counts where its focus is one of the part's subjects, with one exception: a node some shape
    targets as the object of a property (sh:targetObjectsOf) is validated against that shape where it is pointed
    to, with the properties that shape reads. The shapes use no property paths longer than one step, no sh:node and
    no SPARQL; tests/test_validation.py holds this to the whole-graph verdict. Neighbours never come whole: an
    entity named from every part (and holding an inferred hg:mentionedIn for each mention) would come into each,
    and the parts would grow with the corpus (bench/results/scale.txt measured that)."""
    import pyoxigraph as ox

    shapes = Graph().parse(shapes_path, format="turtle")
    by_subject: dict[str, list] = {}
    for t in triples:
        by_subject.setdefault(_key(t.subject), []).append(t)
    object_shapes = set(shapes.subjects(SH.targetObjectsOf, None))
    object_targets = {str(o) for s in object_shapes for o in shapes.objects(s, SH.targetObjectsOf)}
    their_properties = {ps for s in object_shapes for ps in shapes.objects(s, SH.property)}
    read = {str(path) for ps in their_properties for path in shapes.objects(ps, SH.path)} | {RDF_TYPE}
    sources = {s.n3() for s in object_shapes | their_properties}  # the shapes a targeted object answers to
    targeted = {_key(t.object) for t in triples if t.predicate.value in object_targets}

    def closure(node: str, into: list, seen: set, only: set[str] | None = None) -> None:
        """A node's triples (or those of the predicates `only` names) and, recursively, those of the blank nodes
        it points to."""
        if node in seen:
            return
        seen.add(node)
        for t in by_subject.get(node, ()):
            if only is None or t.predicate.value in only:
                into.append(t)
                if isinstance(t.object, ox.BlankNode):
                    closure(_key(t.object), into, seen)

    def objects(nodes: set[str]) -> set[str]:
        return {_key(t.object) for n in nodes for t in by_subject.get(n, ())
                if isinstance(t.object, (ox.NamedNode, ox.BlankNode))}

    # A neighbour's types are in the part (for sh:class on values), so a class-targeted shape would take it as a
    # focus node too and report all it lacks there, tens of thousands of results thrown away per part. So each
    # part's shapes target its own subjects by name (sh:targetNode) instead of by class.
    by_class = _instances_by_class(by_subject, {str(c) for c in shapes.objects(None, SH.targetClass)})
    class_shapes = [(shape, str(c)) for shape, c in shapes.subject_objects(SH.targetClass)]
    base_shapes = Graph()
    for t in shapes:
        if t[1] != SH.targetClass:
            base_shapes.add(t)

    subjects = [s for s in by_subject if not s.startswith("_:")]  # blank nodes come with their subjects
    found: dict[tuple, str] = {}
    start = 0
    while start < len(subjects):
        own, size = set(), 0
        while start < len(subjects) and (size < part_triples or not own):
            own.add(subjects[start])
            size += len(by_subject[subjects[start]])
            start += 1
        data, seen = [], set()
        for n in sorted(own):
            closure(n, data, seen)
        # a targeted object the graph says nothing about is there all the same: all it has (nothing) is in the part
        targets = (objects(own) & targeted) - own
        for n in sorted(targets):
            closure(n, data, seen, read)
        for n in sorted(objects(seen) - seen):
            if n.startswith("_:"):
                closure(n, data, seen)
            else:
                data += [t for t in by_subject.get(n, ()) if t.predicate.value == RDF_TYPE]
        g = Graph()
        g.parse(data=ox.serialize(data, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
        part_shapes = Graph()
        part_shapes += base_shapes
        for shape, cls in class_shapes:
            for n in sorted(own & by_class.get(cls, set())):
                part_shapes.add((shape, SH.targetNode, URIRef(n[1:-1])))
        _, report, _ = validate(g, shacl_graph=part_shapes, inference="none", advanced=False, allow_warnings=True)
        for r in report.subjects(RDF.type, SH.ValidationResult):
            if report.value(r, SH.resultSeverity) != SH.Violation:
                continue
            focus = report.value(r, SH.focusNode).n3()
            if not (focus.startswith("_:") or focus in own or
                    focus in targets and report.value(r, SH.sourceShape).n3() in sources):
                continue  # a neighbour, or a targeted object against a shape the part cannot judge it by
            key = tuple(str(report.value(r, p)) for p in (SH.focusNode, SH.resultPath, SH.sourceConstraintComponent,
                                                          SH.resultMessage))
            found[key] = _line(report, r)
        del g, report
    lines = [found[k] for k in sorted(found)]
    return not lines, _readable(lines), len(lines)


def _instances_by_class(by_subject: dict[str, list], classes: set[str]) -> dict[str, set[str]]:
    """For each class, the named subjects typed with it or with one of its subclasses (rdfs:subClassOf in the
    graph, transitively), as sh:targetClass finds them."""
    sub = "http://www.w3.org/2000/01/rdf-schema#subClassOf"
    below: dict[str, set[str]] = {}
    for triples in by_subject.values():
        for t in triples:
            if t.predicate.value == sub and hasattr(t.object, "value"):
                below.setdefault(t.object.value, set()).add(t.subject.value)
    out: dict[str, set[str]] = {}
    for cls in classes:
        todo, kinds = [cls], {cls}
        while todo:
            for c in below.get(todo.pop(), ()):
                if c not in kinds:
                    kinds.add(c)
                    todo.append(c)
        out[cls] = {n for n, triples in by_subject.items() if not n.startswith("_:") and any(
            t.predicate.value == RDF_TYPE and t.object.value in kinds for t in triples)}
    return out
