"""Outside vocabulary terms are labelled from mappings/ (pages read well offline); a bad row names its line."""

import pyoxigraph as ox
import pytest

from helsegraf.errors import InputError
from helsegraf.rdf.namespaces import HG
from helsegraf.site.vocabulary import load_vocabulary_labels
from tests.site.built_site import BuiltSite

RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


def test_every_outside_class_and_property_in_the_graph_has_labels(built):
    labels = load_vocabulary_labels()
    store = ox.Store.read_only(str(built.out / "store"))
    used = set()
    for q in store:
        used.add(q.predicate.value)
        if q.predicate.value == RDF_TYPE:
            used.add(q.object.value)
    outside = {t for t in used if not t.startswith(str(HG))}
    assert sorted(outside - set(labels)) == []
    assert all(lab.nb and lab.en for lab in labels.values())


def test_pages_show_the_label_beside_the_compact_iri(built):
    page = BuiltSite(built.out).read("id/meld-st-9-2023-2024/linjer/1633-1637.html").decode("utf-8")
    assert 'avledet fra <span class="qname" title="http://www.w3.org/ns/prov#wasDerivedFrom">prov:wasDerivedFrom</span>' in page
    assert "er del av" in page and "dcterms:isPartOf" in page


@pytest.mark.parametrize("row, message", [
    ('"nope:thing" = { nb = "x", en = "x" }', "known prefix"),
    ('"dcterms:title" = { nb = "tittel" }', "'nb' and 'en'"),
    ('"dcterms:title" = { nb = "", en = "title" }', "'nb' and 'en'"),
])
def test_a_bad_row_is_an_error_naming_file_and_line(tmp_path, row, message):
    path = tmp_path / "labels.toml"
    path.write_text(f'[terms]\n"rdf:type" = {{ nb = "type", en = "type" }}\n{row}\n', encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_vocabulary_labels(path)
    assert message in str(e.value) and "labels.toml" in str(e.value) and ":3" in str(e.value)
