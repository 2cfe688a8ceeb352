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
    lines = []
    for r in sorted(violations, key=lambda r: (str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultPath)))):
        focus = report.value(r, SH.focusNode)
        path = report.value(r, SH.resultPath)
        msg = report.value(r, SH.resultMessage)
        lines.append(f"- {focus}\n    path: {path}\n    {msg}")
    shown = lines[:50]
    if len(lines) > 50:
        shown.append(f"... and {len(lines) - 50} more")
    return conforms, "\n".join(shown), len(violations)
