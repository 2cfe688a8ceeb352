"""Platform and party programmes: commitments under their headings; descriptive bullets kept as text."""

from collections import Counter

from helsegraf.records import ItemKind
from tests.conftest import AP, HP, PLATFORM


def commitments(doc):
    return [i for i in doc.items if i.kind is ItemKind.COMMITMENT]


def test_platform_commitments_per_section(parsed):
    doc = parsed[PLATFORM]
    assert Counter(i.part for i in commitments(doc)) == {
        "folkehelse": 5, "primaerhelse-og-samhandling": 9, "e-helse": 7, "ideelle-aktorer-og-parorende": 5,
        "sykehus-og-helsepersonell": 21, "styring-av-sykehusene": 5, "psykisk-helse": 9, "legemidler": 4,
        "rus": 7, "tannhelse": 4, "kvinnehelse": 5, "eldre": 13,
    }
    assert len(commitments(doc)) == 94


def test_platform_descriptive_bullet_is_text_not_commitment(parsed):
    doc = parsed[PLATFORM]
    [text] = [i for i in doc.items if i.kind is ItemKind.TEXT_ITEM]
    assert text.part == "folkehelse" and text.text.startswith("Forebygging og helsefremmende arbeid må skje")


def test_platform_item_text_and_order(parsed):
    doc = parsed[PLATFORM]
    first = commitments(doc)[0]
    assert first.locator == "Folkehelse, punkt 2"
    assert first.text.startswith("Gradvis innføre et daglig sunt, enkelt skolemåltid")
    assert (first.span.start, first.span.end) == (17, 17)


def test_labour_party_commitments_wrapped_over_lines(parsed):
    doc = parsed[AP]
    assert Counter(i.part for i in commitments(doc)) == {
        "en-trygg-eldreomsorg": 8, "mestre-utfordringer-i-livet": 10, "folkehelse": 8,
        "styrket-rusforebygging-og-behandling": 9, "fastlegeordningen": 4, "sykehus": 4,
    }
    item = next(i for i in doc.items if i.key == "en-trygg-eldreomsorg/2")
    assert item.text == ("Sørge for bedre støtte- og avlastningstilbud for pårørende, blant annet gjennom enklere "
                         "oppfølging og kompetanseheving. Dette utvikles etter mål om et mer likestilt samfunn.")
    assert (item.span.start, item.span.end) == (109, 113)


def test_health_party_topical_lists_and_negations(parsed):
    doc = parsed[HP]
    c = Counter(i.part for i in commitments(doc))
    assert c["ledelse"] == 8 and c["tjenestetilbud"] == 5 and c["organisering"] == 4 and c["kvalitet"] == 9
    negated = [i for i in commitments(doc) if i.negated]
    assert [i.text for i in negated] == ["Gå inn for oljeutvinning i Lofoten, Senja og Vesterålen", "Bygge ned matjord"]
    assert len(commitments(doc)) == 179  # every " • " bullet (178) and the one "- " item
    # the "- prioritere …" line directly under "Helsepartiet vil:" is a commitment too
    assert any(i.text.startswith("prioritere helse høyere, ha demokratisk styring") for i in commitments(doc))
    wrapped = next(i for i in doc.items if i.text.startswith("For lengeværende asylbarn"))
    assert wrapped.text.endswith("må FNs menneskerettigheter vektlegges mer enn asylpreventive hensyn.")
