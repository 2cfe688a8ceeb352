"""The fast SPARQL rules give what owlrl's OWL RL closure gives, on a sample of the real graph."""

import owlrl
import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from helsegraf import reasoning
from tests.repo import ONTOLOGY_DIR
from helsegraf.rdf.documents import map_document
from helsegraf.rdf.iris import Iris
from tests.conftest import AP

IRIS = Iris("https://w3id.org/helsegraf/")
DATA_G = "urn:test:data"
INF_G = "urn:test:inferred"


@pytest.fixture(scope="module")
def ontology():
    return Graph().parse(ONTOLOGY_DIR / "helsegraf.ttl")


@pytest.fixture(scope="module")
def sample(manifest, parsed):
    own, curated = map_document(manifest.by_slug(AP), parsed[AP], IRIS)
    return own + curated


def ours(ontology, sample) -> set:
    closed = reasoning.close_ontology(ontology)
    store = ox.Store()
    store.load(sample.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
               to_graph=ox.NamedNode(DATA_G))
    reasoning.infer(store, reasoning.axioms_from(closed), INF_G, [DATA_G])
    return {(q.subject.value, q.predicate.value, q.object.value)
            for q in store.quads_for_pattern(None, None, None, ox.NamedNode(INF_G))}


def owlrl_instance_triples(ontology, sample) -> set:
    g = Graph()
    g += ontology
    g += sample
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics, axiomatic_triples=False, datatype_axioms=False).expand(g)
    subjects = {s for s in sample.subjects()} | {o for o in sample.objects() if isinstance(o, URIRef)}
    trivial = {OWL.Thing, RDFS.Resource, OWL.NamedIndividual}
    out = set()
    for s, p, o in g:
        if s not in subjects or (s, p, o) in sample or p == OWL.sameAs:
            continue
        # Membership of the built-in classes (owl:Thing, rdf:Property, …) says nothing about the data; the rules skip it.
        if p == RDF.type and (o in trivial or str(o).startswith((str(OWL), str(RDFS), str(RDF)))):
            continue
        if p in (RDFS.subClassOf, RDFS.subPropertyOf, OWL.inverseOf, RDFS.domain, RDFS.range) or str(s).startswith(str(OWL)):
            continue
        if p.startswith(str(OWL)) or p.startswith(str(RDFS)):
            continue
        out.add((str(s), str(p), str(o)))
    return out


def test_rules_match_owlrl_on_a_sample(ontology, sample):
    expected = owlrl_instance_triples(ontology, sample)
    got = ours(ontology, sample)
    assert len(expected) > 500
    assert got - expected == set()
    assert expected - got == set()


def test_small_chunks_and_small_loads_infer_what_one_chunk_and_one_load_do(ontology, sample, monkeypatch):
    """Consequences are written a load at a time; one found again before its load is written is written once,
    and counted once."""
    closed = reasoning.close_ontology(ontology)

    def run(chunk: int) -> tuple[int, set]:
        store = ox.Store()
        store.load(sample.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
                   to_graph=ox.NamedNode(DATA_G))
        n = reasoning.infer(store, reasoning.axioms_from(closed), INF_G, [DATA_G], chunk=chunk)
        return n, set(store.quads_for_pattern(None, None, None, ox.NamedNode(INF_G)))

    whole = run(10 ** 7)
    monkeypatch.setattr(reasoning, "INFERRED_PER_LOAD", 7)
    parts = run(50)
    assert parts == whole and whole[0] == len(whole[1]) > 500


def test_a_graphs_kept_consequences_infer_what_reasoning_on_it_does(ontology, sample, tmp_path):
    """A document's consequences depend on its graph and the axioms alone (every rule reads one triple), so a
    rebuild reads them from the file the first build wrote; a triple another graph asserts is still not inferred."""
    axioms = reasoning.axioms_from(reasoning.close_ontology(ontology))
    other = "urn:test:other"
    # something the sample entails (of IRIs alone), asserted by another graph
    asserted = min(t for t in ours(ontology, sample) if t[2].startswith("https://"))

    def run(kept) -> tuple[int, set]:
        store = ox.Store()
        store.load(sample.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
                   to_graph=ox.NamedNode(DATA_G))
        store.add(ox.Quad(*(ox.NamedNode(v) for v in asserted), ox.NamedNode(other)))
        n = reasoning.infer(store, axioms, INF_G, [DATA_G, other], chunk=40, kept=kept)
        return n, set(store.quads_for_pattern(None, None, None, ox.NamedNode(INF_G)))

    kept = {DATA_G: tmp_path / "data.nt"}
    fresh = run(None)
    assert run(kept) == fresh and kept[DATA_G].is_file()
    written = kept[DATA_G].read_bytes()
    assert run(kept) == fresh and kept[DATA_G].read_bytes() == written  # read, not written again
    kept[DATA_G].write_bytes(written[: len(written) // 2] + b"<broken")  # a torn or edited file is a miss
    assert run(kept) == fresh and kept[DATA_G].read_bytes() == written
    assert fresh[0] == len(fresh[1]) > 500
    assert ox.Triple(*(ox.NamedNode(v) for v in asserted)) not in {q.triple for q in fresh[1]}
    assert len(reasoning.axioms_digest(axioms)) == 64


def test_graphs_read_from_the_runs_kept_as_they_were_loaded_infer_what_the_store_s_do(ontology, sample, tmp_path):
    """The build gives reasoning the runs it keeps of what the store was given (serialize.SortedRuns): the graphs
    are read from them, not the store, and what is inferred goes to them too, so they still merge into the store's
    own dump."""
    from helsegraf import disk_store
    from helsegraf.serialize import SortedRuns, write_sorted_nquads

    axioms = reasoning.axioms_from(reasoning.close_ontology(ontology))
    other = "urn:test:other"
    asserted = min(t for t in ours(ontology, sample) if t[2].startswith("https://"))

    def run(runs) -> ox.Store:
        store = ox.Store()
        disk_store.add_triples(store, sample, DATA_G, chunk=300, runs=runs)  # several runs of one graph
        disk_store.add_quads(store, [ox.Quad(*(ox.NamedNode(v) for v in asserted), ox.NamedNode(other))], runs=runs)
        reasoning.infer(store, axioms, INF_G, [DATA_G, other], chunk=40, runs=runs)
        return store

    runs = SortedRuns(tmp_path / "runs")
    from_store, from_runs = run(None), run(runs)
    assert set(from_runs) == set(from_store) and len(set(from_store)) > len(sample) + 500
    assert runs.merge_into(tmp_path / "merged.nq") == len(from_runs)
    write_sorted_nquads(from_runs, tmp_path / "store.nq")
    assert (tmp_path / "merged.nq").read_bytes() == (tmp_path / "store.nq").read_bytes()


def test_inference_makes_hierarchy_queryable(built):
    store = ox.Store.read_only(str(built.out / "store"))
    q = """PREFIX hg: <https://w3id.org/helsegraf/ontology#> PREFIX prov: <http://www.w3.org/ns/prov#>
           PREFIX dcterms: <http://purl.org/dc/terms/>
           SELECT ?m WHERE { GRAPH <https://w3id.org/helsegraf/graph/inferred> {
             <https://w3id.org/helsegraf/id/meld-st-9-2023-2024/boks-3.1/1> a hg:Measure, prov:Entity ;
               hg:inDocument <https://w3id.org/helsegraf/id/meld-st-9-2023-2024> ;
               dcterms:isPartOf <https://w3id.org/helsegraf/id/meld-st-9-2023-2024/boks-3.1> .
             <https://w3id.org/helsegraf/id/meld-st-9-2023-2024> hg:hasMeasure ?m } }"""
    rows = list(store.query(q))
    assert len(rows) == 136


def test_inferred_triples_live_in_their_own_graph(built):
    store = ox.Store.read_only(str(built.out / "store"))
    assert bool(store.query("""PREFIX hg: <https://w3id.org/helsegraf/ontology#>
        ASK { GRAPH <https://w3id.org/helsegraf/graph/inferred> { ?m a hg:Measure } }"""))
    assert not bool(store.query("""PREFIX hg: <https://w3id.org/helsegraf/ontology#>
        ASK { GRAPH ?g { ?m a hg:Measure } FILTER(?g != <https://w3id.org/helsegraf/graph/inferred>) }"""))


def _ask(store, q):
    prefixes = ("PREFIX hg: <https://w3id.org/helsegraf/ontology#> PREFIX org: <http://www.w3.org/ns/org#> "
                "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX id: <https://w3id.org/helsegraf/id/> ")
    return bool(store.query(prefixes + q, use_default_graph_as_union=True))


def test_inverse_hierarchies_are_queryable(built):
    store = ox.Store.read_only(str(built.out / "store"))
    assert _ask(store, "ASK { <https://w3id.org/helsegraf/id/aktor/de-regionale-helseforetakene> "
                       "org:hasSubOrganization <https://w3id.org/helsegraf/id/aktor/helse-nord> }")
    assert _ask(store, "ASK { <https://w3id.org/helsegraf/id/pasientgruppe/prioriterte-pasientgrupper> "
                       "skos:narrower <https://w3id.org/helsegraf/id/pasientgruppe/barn-og-unge> }")
    # class hierarchy: a health region is an organisation and an actor
    assert _ask(store, "ASK { <https://w3id.org/helsegraf/id/aktor/helse-nord> a hg:HealthRegion, hg:Organisation, "
                       "hg:Actor, org:Organization }")
    # role properties specialise the generic link, and the inverse reaches back from the entity
    assert _ask(store, "ASK { <https://w3id.org/helsegraf/id/meld-st-9-2023-2024/boks-3.1/1> hg:assignsTaskTo ?a ; "
                       "hg:mentionsActor ?a ; hg:mentions ?a . ?a hg:mentionedIn "
                       "<https://w3id.org/helsegraf/id/meld-st-9-2023-2024/boks-3.1/1> }")


def test_a_measure_for_a_region_is_found_through_the_hierarchy(built):
    """Every measure that mentions any actor under 'de regionale helseforetakene', the group included."""
    store = ox.Store.read_only(str(built.out / "store"))
    rows = list(store.query("""PREFIX hg: <https://w3id.org/helsegraf/ontology#> PREFIX org: <http://www.w3.org/ns/org#>
        SELECT DISTINCT ?m WHERE { ?m a hg:Measure ; hg:mentionsActor ?a .
          { BIND(<https://w3id.org/helsegraf/id/aktor/de-regionale-helseforetakene> AS ?a) }
          UNION { <https://w3id.org/helsegraf/id/aktor/de-regionale-helseforetakene> org:hasSubOrganization+ ?a } }""",
        use_default_graph_as_union=True))
    assert len(rows) >= 12


def test_what_a_kind_of_triple_entails_is_what_closing_each_such_triple_alone_entails(ontology, sample):
    """Reasoning closes one triple of stand-ins per kind (predicate and literal or not; rdf:type and class) and
    puts each triple's own subject and object in (reasoning.Entailed): for every triple of the sample, the same
    consequences as the rules closing that triple alone in a store of its own, as reasoning once did per chunk."""
    closed = reasoning.close_ontology(ontology)
    target = ox.NamedNode(INF_G)
    updates = reasoning.rules(reasoning.axioms_from(closed), INF_G)
    entailed = reasoning.Entailed(updates, target, 20)
    quads = [ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(DATA_G))
             for q in ox.parse(sample.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES)]
    kinds = {(q.predicate, q.object if q.predicate.value == str(RDF.type) else isinstance(q.object, ox.Literal))
             for q in quads}
    assert len(kinds) > 20 and any(isinstance(q.object, ox.Literal) for q in quads)
    alone = {q: set(reasoning._consequences([q], updates, target, 20)) for q in quads}
    assert sum(map(len, alone.values())) > len(quads)  # the sample entails something of most triples
    assert [q for q in quads if set(entailed.of(q)) != alone[q]] == []


def test_a_consequence_read_from_a_kept_file_and_made_again_from_another_graph_is_counted_once(ontology, sample,
                                                                                                tmp_path):
    """Regression: a kept file was read as quads (of the default graph) and another graph's consequences made as
    triples, so the same consequence from both was two keys of what was pending, loaded twice and counted twice."""
    axioms = reasoning.axioms_from(reasoning.close_ontology(ontology))
    copy = "urn:test:copy"  # another graph saying the same, so entailing the same
    kept = {DATA_G: tmp_path / "data.nt"}

    def run() -> tuple[int, int]:
        store = ox.Store()
        for g in (DATA_G, copy):
            store.load(sample.serialize(format="nt", encoding="utf-8"), format=ox.RdfFormat.N_TRIPLES,
                       to_graph=ox.NamedNode(g))
        n = reasoning.infer(store, axioms, INF_G, [DATA_G, copy], chunk=40, kept=kept)
        return n, sum(1 for _ in store.quads_for_pattern(None, None, None, ox.NamedNode(INF_G)))

    made = run()
    assert kept[DATA_G].is_file()
    read = run()  # DATA_G's consequences from the file this time
    assert made[0] == made[1] > 500 and read == made
