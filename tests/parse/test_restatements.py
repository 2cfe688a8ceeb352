"""A measure a document states twice is marked as restating the original, and counted once."""

from helsegraf.parse.restatements import MIN_PREFIX_WORDS, mark_restatements
from helsegraf.records import Item, ItemKind, ParsedDocument, Span


def _item(key, text, part, kind=ItemKind.BOX_MEASURE, order=0):
    return Item(kind, key, key.rsplit("/", 1)[1], text, Span(order + 1, order + 1), key, part, order=order)


def _doc(*items):
    return ParsedDocument("d", [], None, [], [], list(items))


def test_a_summary_that_repeats_a_box_measure_restates_it():
    doc = mark_restatements(_doc(
        _item("avsnitt-2.3.5/1", "gjennomgå bestemmelsene om taushetsplikt i helsepersonelloven", "avsnitt-2.3.5",
              ItemKind.ANNOUNCED_MEASURE, order=1),
        _item("boks-9.1/4", "Gjennomgå bestemmelsene om taushetsplikt i helsepersonelloven.", "boks-9.1", order=9)))
    assert {i.key: i.restates for i in doc.items} == {"avsnitt-2.3.5/1": "boks-9.1/4", "boks-9.1/4": None}
    assert [i.key for i in doc.distinct_measures] == ["boks-9.1/4"]


def test_a_longer_or_shorter_wording_is_the_same_measure_past_a_few_words():
    long_ = "gjennomgå helseforskningsloven og annet regelverk som regulerer helseforskning, for å sørge for noe"
    short = "gjennomgå helseforskningsloven og annet regelverk som regulerer helseforskning"
    doc = mark_restatements(_doc(_item("s/1", long_, "s", ItemKind.ANNOUNCED_MEASURE, 1), _item("b/5", short, "b", order=5)))
    assert doc.items[0].restates == "b/5"
    # a common opening of fewer words is not enough
    few = " ".join(short.split()[: MIN_PREFIX_WORDS - 1])
    doc = mark_restatements(_doc(_item("s/1", few + " x", "s", ItemKind.ANNOUNCED_MEASURE, 1),
                                 _item("b/5", few + " y", "b", order=5)))
    assert all(i.restates is None for i in doc.items)


def test_between_two_boxes_the_later_restates_the_earlier_and_the_same_part_never_does():
    text = "opprette et varig rekrutterings- og samhandlingstilskudd"
    doc = mark_restatements(_doc(_item("b7/3", text, "b7", order=70), _item("b4/7", text, "b4", order=40)))
    assert {i.key: i.restates for i in doc.items} == {"b7/3": "b4/7", "b4/7": None}
    doc = mark_restatements(_doc(_item("b4/1", text, "b4", order=1), _item("b4/2", text, "b4", order=2)))
    assert all(i.restates is None for i in doc.items)


def test_the_white_paper_counts_its_restated_measures_once(parsed):
    wp = parsed["meld-st-9-2023-2024"]
    restated = {i.key: i.restates for i in wp.items if i.restates}
    assert {"avsnitt-2.3.5/1": "boks-9.1/5", "avsnitt-2.3.5/2": "boks-9.1/4", "avsnitt-2.3.5/6": "boks-6.1/1",
            "avsnitt-2.3.5/8": "boks-8.1/9", "avsnitt-2.3.5/12": "boks-4.1/14"}.items() <= restated.items()
    assert len(wp.distinct_measures) == len(wp.measures) - len(restated)
