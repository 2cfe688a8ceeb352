"""A page from a small graph: labels, links relative to the page, blank nodes inline, alternates that carry the
same triples, and the same files whether written by one process or several."""

import json
from pathlib import Path

import pyoxigraph as ox

from helsegraf.deployment import load_deployment
from helsegraf.paths import deployment_path
from helsegraf.rdf.iris import Iris
from helsegraf.site import render_site

BASE = load_deployment(deployment_path()).base_iri
TTL = f"""
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix org: <http://www.w3.org/ns/org#> .
<{BASE}id/ting/a> a org:Organization ; rdfs:label "Ting <a>"@nb ;
    dcterms:creator [ rdfs:label "Anonym skaper"@nb ; dcterms:publisher <{BASE}id/ting/b> ] .
<{BASE}id/ting/b> rdfs:label "Ting b"@nb ; dcterms:isPartOf <https://example.org/utenfor> .
"""


def small_store(tmp_path: Path) -> Path:
    """The small graph in a store on disk, where the site is rendered from."""
    store = ox.Store(str(tmp_path / "store"))
    store.load(TTL.encode(), format=ox.RdfFormat.TURTLE, to_graph=ox.NamedNode(f"{BASE}graph/test"))
    store.flush()
    return tmp_path / "store"


def test_a_blank_node_is_shown_inline_and_carried_by_every_format(tmp_path):
    out = tmp_path / "site"
    render_site(small_store(tmp_path), Iris(BASE), out, jobs=1)
    page = (out / "id/ting/a.html").read_text(encoding="utf-8")
    assert '<table class="blank">' in page and "Anonym skaper" in page
    assert 'href="b.html">Ting b</a>' in page  # relative, labelled, from inside the blank node
    assert "Ting &lt;a&gt;" in page and "Ting <a>" not in page
    ttl = set(ox.parse(path=str(out / "id/ting/a.ttl"), format=ox.RdfFormat.TURTLE))
    nt = set(ox.parse(path=str(out / "id/ting/a.nt"), format=ox.RdfFormat.N_TRIPLES))
    doc = json.loads((out / "id/ting/a.jsonld").read_text(encoding="utf-8"))
    doc["@context"] = json.loads((out / "context.jsonld").read_text(encoding="utf-8"))["@context"]
    jl = set(ox.parse(json.dumps(doc), format=ox.RdfFormat.JSON_LD))
    assert len(ttl) == len(nt) == len(jl) == 5  # blank node ids differ between parses; the shapes must not

    def shape(triples):
        return sorted((t.predicate.value, t.object.value if not isinstance(t.object, ox.BlankNode) else "_")
                      for t in triples)

    assert shape(ttl) == shape(nt) == shape(jl)


def test_incoming_links_are_grouped_by_property(tmp_path):
    out = tmp_path / "site"
    render_site(small_store(tmp_path), Iris(BASE), out, jobs=1)
    page = (out / "id/ting/b.html").read_text(encoding="utf-8")
    # the only link to b comes from a blank node, which has no page: nothing to list
    assert "Lenker hit" not in page
    outside = 'href="https://example.org/utenfor"'
    assert outside in page


def _files(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_one_process_and_several_write_the_same_site(tmp_path, one_manifest, parsed):
    from helsegraf.build import build
    from tests.conftest import SPEECH

    iris = Iris(BASE)
    store = build(tmp_path / "b", one_manifest, site=False).out / "store"
    sources = {str(iris.document(SPEECH)): parsed[SPEECH].lines}
    one = render_site(store, iris, tmp_path / "one", sources, jobs=1)
    three = render_site(store, iris, tmp_path / "three", sources, jobs=3)
    assert one == three and one.pages > 1000
    a, b = _files(tmp_path / "one"), _files(tmp_path / "three")
    assert a.keys() == b.keys() and [k for k in a if a[k] != b[k]] == []


def test_a_template_edited_between_builds_in_one_process_is_compiled_again(tmp_path):
    """The compiled templates are kept for the process (writer.py), checked against their source's checksum."""
    from jinja2 import Environment, FileSystemLoader

    from helsegraf.site.writer import _COMPILED

    (tmp_path / "t.html").write_text("før {{ x }}", encoding="utf-8")

    def render():
        env = Environment(loader=FileSystemLoader(str(tmp_path)), bytecode_cache=_COMPILED, auto_reload=False)
        return env.get_template("t.html").render(x=1)

    assert render() == "før 1" and render() == "før 1"
    (tmp_path / "t.html").write_text("etter {{ x }}", encoding="utf-8")
    assert render() == "etter 1"
