"""SHACL: the built graph conforms, and a graph that breaks a shape is reported readably."""

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF

from tests.repo import ONTOLOGY_DIR
from helsegraf.rdf.namespaces import HG, SCHEMA
from helsegraf.validation import check


@pytest.mark.whole_site
def test_built_graph_conforms(built):
    """The corpus's graph, read back from its Turtle dump and judged whole in one run of pySHACL: the build judged it
    in parts (validation.py), which the tests below hold to the whole graph's verdict on smaller graphs."""
    g = Graph().parse(built.out / "helsegraf.ttl")
    conforms, report, n = check(g, ONTOLOGY_DIR / "shapes.ttl")
    assert conforms and n == 0, report


def test_measure_without_document_or_nb_text_is_reported():
    g = Graph()
    m = URIRef("https://example.org/id/x/1")
    g.add((m, RDF.type, HG.Measure))
    g.add((m, SCHEMA.text, Literal("no language tag")))
    conforms, report, n = check(g, ONTOLOGY_DIR / "shapes.ttl")
    assert not conforms
    assert "exactly one source document" in report
    assert "Norwegian Bokmål" in report
    assert "https://example.org/id/x/1" in report
    assert n >= 4


def _broken(built):
    """A corpus's graph with five shapes broken: a measure without its document, a law with a malformed
    Lovdata id, a mention of something that is no entity, a trace sharing a non-entity, a document without title."""
    import pyoxigraph as ox

    triples = list(ox.parse((built.out / "helsegraf.nq").read_bytes(), format=ox.RdfFormat.N_QUADS))
    triples = {ox.Triple(q.subject, q.predicate, q.object) for q in triples}
    hg, dct = str(HG), "http://purl.org/dc/terms/"
    by_pred = lambda p: sorted((t for t in triples if t.predicate.value == p), key=str)  # noqa: E731
    measure_doc = by_pred(hg + "inDocument")[0]
    law_id = by_pred("http://data.europa.eu/eli/ontology#id_local")[0]
    mention = by_pred(hg + "mentionOf")[0]
    shared = by_pred(hg + "sharedEntity")[0]
    title = next(t for t in by_pred(dct + "title")
                 if ox.Triple(t.subject, ox.NamedNode(str(RDF.type)), ox.NamedNode(hg + "Document")) in triples)
    nowhere = ox.NamedNode("https://example.org/not-an-entity")
    triples -= {measure_doc, law_id, mention, shared, title}
    triples |= {ox.Triple(law_id.subject, law_id.predicate, ox.Literal("LOV-99")),
                ox.Triple(mention.subject, mention.predicate, nowhere),
                ox.Triple(shared.subject, shared.predicate, nowhere)}
    # the mention's break is reported on what it names (the shape targets the objects of hg:mentionOf)
    return sorted(triples, key=str), {str(measure_doc.subject), str(law_id.subject), str(shared.subject),
                                      str(title.subject), str(nowhere)}


def _store(triples):
    import pyoxigraph as ox

    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("https://example.org/g")) for t in triples)
    return store


def test_validation_in_parts_gives_the_whole_graphs_verdict(synthetic_built, monkeypatch):
    """check_in_parts (used for large graphs) against check over the whole graph: the same focus nodes and
    constraints, with the graph cut in several parts, read in order with the store answering for neighbours, and
    the same again when the neighbours' types kept from part to part are let go every ten nodes."""
    import re

    from helsegraf import validation
    from helsegraf.validation import WHOLE_UP_TO, check_in_parts, check_store

    triples, broken = _broken(synthetic_built)
    assert len(triples) <= WHOLE_UP_TO  # so check_store validates it whole
    whole = check_store(triples, _store(triples), ONTOLOGY_DIR / "shapes.ttl")
    parts = check_in_parts(triples, _store(triples), ONTOLOGY_DIR / "shapes.ttl", part_triples=6_000)
    assert not whole[0] and not parts[0]
    focus = lambda report: set(re.findall(r"^- (\S+)$", report, re.M))  # noqa: E731
    assert focus(whole[1]) == focus(parts[1])
    assert focus(whole[1]) >= {b.strip("<>") for b in broken} and whole[2] == parts[2]
    monkeypatch.setattr(validation, "TYPES_KEPT", 10)
    assert check_in_parts(triples, _store(triples), ONTOLOGY_DIR / "shapes.ttl", part_triples=6_000) == parts
    monkeypatch.undo()
    clean = sorted(set(ox_triples(synthetic_built)), key=str)
    verdict = check_in_parts(clean, _store(clean), ONTOLOGY_DIR / "shapes.ttl", part_triples=6_000)
    assert verdict[0] and verdict[2] == 0, verdict[1]


def test_parts_judged_on_two_processes_give_the_report_of_one(synthetic_built, tmp_path, monkeypatch):
    """The workers each open the store on disk read-only while the build holds it open; the report is the same
    text, whatever order the parts come back in."""
    import pyoxigraph as ox

    from helsegraf import validation
    from helsegraf.validation import check_in_parts

    pools = []
    in_workers = validation._in_workers
    monkeypatch.setattr(validation, "_in_workers", lambda *a: pools.append(a[-1]) or in_workers(*a))

    triples, _ = _broken(synthetic_built)
    store = ox.Store(str(tmp_path / "store"))
    store.extend(ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("https://example.org/g")) for t in triples)
    store.flush()
    one = check_in_parts(triples, store, ONTOLOGY_DIR / "shapes.ttl", part_triples=3_000)
    two = check_in_parts(triples, store, ONTOLOGY_DIR / "shapes.ttl", part_triples=3_000,
                         store_path=tmp_path / "store", jobs=2)
    assert not one[0] and one[2] > 0
    assert two == one and pools == [2]


def ox_triples(built):
    import pyoxigraph as ox

    return {ox.Triple(q.subject, q.predicate, q.object)
            for q in ox.parse((built.out / "helsegraf.nq").read_bytes(), format=ox.RdfFormat.N_QUADS)}


def test_a_subject_that_conformed_is_not_judged_again_and_a_break_is_always_found(synthetic_built, tmp_path,
                                                                                 monkeypatch):
    """With a verdicts file, the units (a subject's data and the shapes) that conformed are kept by their hash:
    the same graph again runs pySHACL on nothing, and a graph with breaks gets the report it gets without the
    file, its broken units judged anew."""
    import re

    from helsegraf import validation
    from helsegraf.validation import check_in_parts

    runs = []
    real = validation.validate
    monkeypatch.setattr(validation, "validate", lambda *a, **k: runs.append(1) or real(*a, **k))
    shapes, verdicts = ONTOLOGY_DIR / "shapes.ttl", tmp_path / "validated.keys"
    clean = sorted(set(ox_triples(synthetic_built)), key=str)
    first = check_in_parts(clean, _store(clean), shapes, part_triples=6_000, verdicts=verdicts)
    assert first[0] and runs and verdicts.stat().st_size > 0
    runs.clear()
    assert check_in_parts(clean, _store(clean), shapes, part_triples=6_000, verdicts=verdicts) == first
    assert runs == []
    broken, names = _broken(synthetic_built)
    without = check_in_parts(broken, _store(broken), shapes, part_triples=6_000)
    runs.clear()
    cached = check_in_parts(broken, _store(broken), shapes, part_triples=6_000, verdicts=verdicts)
    assert cached == without and not cached[0]
    assert 0 < len(runs) < 10  # the parts holding a broken unit only
    focus = set(re.findall(r"^- (\S+)$", cached[1], re.M))
    assert focus >= {b.strip("<>") for b in names}
    # the breaks were not kept as verdicts: judged again, found again
    assert check_in_parts(broken, _store(broken), shapes, part_triples=6_000, verdicts=verdicts) == without


def test_a_torn_verdicts_file_judges_everything(synthetic_built, tmp_path):
    from helsegraf.validation import check_in_parts

    verdicts = tmp_path / "validated.keys"
    verdicts.write_bytes(b"torn" * 7)  # not a whole number of keys
    clean = sorted(set(ox_triples(synthetic_built)), key=str)
    verdict = check_in_parts(clean, _store(clean), ONTOLOGY_DIR / "shapes.ttl", part_triples=6_000, verdicts=verdicts)
    assert verdict[0] and verdicts.stat().st_size % 16 == 0


def test_the_graph_pyshacl_reads_holds_what_rdflib_parses_from_the_same_n_triples(synthetic_built):
    """validation.rdflib_graph makes each term itself instead of writing N-Triples for rdflib to parse: the same
    triples, every kind of term among them (IRIs, plain, language-tagged and typed literals; blank nodes, which the
    build's graph has none of, added)."""
    import pyoxigraph as ox
    from rdflib import BNode, Literal
    from rdflib.compare import isomorphic

    from helsegraf.validation import rdflib_graph

    node, label = ox.BlankNode("b1"), ox.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    triples = sorted(ox_triples(synthetic_built) | {ox.Triple(node, label, ox.Literal("x", language="nb")),
                                                   ox.Triple(ox.NamedNode("https://example.org/a"), label, node)},
                     key=str)
    ours = rdflib_graph(triples)
    parsed = Graph().parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    assert len(ours) == len(triples) and isomorphic(ours, parsed)  # rdflib's parser renames blank nodes
    assert set(ours) >= {t for t in parsed if not any(isinstance(x, BNode) for x in t)}
    objects = [o for _, _, o in ours]
    assert any(isinstance(o, BNode) for o in objects) and any(isinstance(s, BNode) for s, _, _ in ours)
    assert any(isinstance(o, Literal) and o.language for o in objects)
    assert any(isinstance(o, Literal) and o.datatype for o in objects)
    assert any(isinstance(o, Literal) and not o.language and not o.datatype for o in objects)


def test_a_rebuild_judges_only_what_changed_since_the_last_good_build_and_finds_every_break(synthetic_built, tmp_path,
                                                                                           monkeypatch):
    """With `since`, a graph is judged where a line differs from the last good build's dump: its subjects, whoever
    points to a node whose types changed, whoever targets a node whose targeted properties changed. The same
    verdict as judging it all, for breaks of a subject's own data, of a neighbour's types (a document that is no
    longer one, for its measures) and of a targeted object's (an actor that is no longer one, for its mentions)."""
    import json
    import re

    import pyoxigraph as ox

    from helsegraf import validation
    from helsegraf.serialize import file_sha256, write_sorted_nquads
    from helsegraf.validation import Since, check_store

    runs = []
    real = validation.validate
    monkeypatch.setattr(validation, "validate", lambda *a, **k: runs.append(1) or real(*a, **k))
    shapes, record = ONTOLOGY_DIR / "shapes.ttl", tmp_path / "validated.json"

    def judged(triples, previous: str | None, name: str):
        store = _store(triples)
        write_sorted_nquads(store, tmp_path / name)
        since = None if previous is None else Since(tmp_path / previous, record, tmp_path / name)
        return check_store(iter(triples), store, shapes, part_triples=6_000, since=since)

    focus = lambda report: set(re.findall(r"^- (\S+)$", report, re.M))  # noqa: E731
    clean = sorted(set(ox_triples(synthetic_built)), key=str)
    assert judged(clean, "nothing.nq", "clean.nq")[0]  # no previous build: all judged, and recorded
    assert json.loads(record.read_text())["dump"] == file_sha256(tmp_path / "clean.nq")
    runs.clear()
    assert judged(clean, "clean.nq", "again.nq") == (True, "", 0) and runs == []  # nothing changed, nothing judged

    broken, names = _broken(synthetic_built)
    whole = judged(broken, None, "whole.nq")
    runs.clear()
    changed = judged(broken, "clean.nq", "broken.nq")
    assert not changed[0] and changed[2] == whole[2] and focus(changed[1]) == focus(whole[1]) >= {
        n.strip("<>") for n in names}
    assert 0 < len(runs) < 10
    assert json.loads(record.read_text())["dump"] == file_sha256(tmp_path / "clean.nq")  # a break is not recorded

    rdf_type, hg = str(RDF.type), str(HG)
    in_document = next(t for t in clean if t.predicate.value == hg + "inDocument")
    is_a = lambda node, cls: ox.Triple(node, ox.NamedNode(rdf_type), ox.NamedNode(hg + cls)) in set(clean)  # noqa: E731
    mentioned = next(t.object for t in clean if t.predicate.value == hg + "mentionOf" and is_a(t.object, "Actor"))
    for node, cls in ((in_document.object, "Document"), (mentioned, "Actor")):
        assert is_a(node, cls)
        untyped = [t for t in clean if not (t.subject == node and t.predicate.value == rdf_type)]
        whole = judged(untyped, None, "whole.nq")
        changed = judged(untyped, "clean.nq", "untyped.nq")
        assert not whole[0] and changed[2] == whole[2] > 1 and changed[0] == whole[0]
