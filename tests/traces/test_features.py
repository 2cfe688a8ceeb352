"""What the linker reads from an item: terms that survive inflection, compounds, nynorsk and synonyms, and the
direction a cue pushes a term in."""

import pytest

from helsegraf.traces.features import ItemRef, item_features
from helsegraf.traces.lexicon import load_lexicon
from tests.repo import MAPPINGS

LEX = load_lexicon(MAPPINGS / "trace_lexicon.toml")


def features(text, negated=False):
    return item_features(ItemRef("d", "k"), text, frozenset(), LEX, negated)


def test_inflection_and_nynorsk_meet():
    assert "sykehus" in features("styrke sykehusene").terms
    assert "sykehus" in features("styrkje sjukehusa").terms


def test_a_compound_shares_its_parts():
    terms = features("legge fram en kvinnehelsestrategi").terms
    assert terms["kvinnehelsestrategi"] == 1.0
    assert terms["strategi"] == 0.5 and "kvinneh" in terms  # stem of "kvinnehelse"


def test_a_known_word_is_no_compound():
    assert set(features("en kommisjon").terms) == {"kommisjon"}  # no "kom" + "misjon"
    assert set(features("en helsepersonellkommisjon").terms) == {"helsepersonellkommisjon", "helsepersonell",
                                                                   "kommisjon"}


def test_synonyms_are_one_term():
    assert "rusmiddel" in features("all bruk av narkotika").terms
    assert "rusmiddel" in features("salg av cannabis").terms


def test_stopwords_and_cue_words_are_no_terms():
    assert features("sikre og styrke det").terms == {}


@pytest.mark.parametrize("text, term, sign", [
    ("øke innsatsstyrt finansiering til 60 %", "innsatsstyrt", 1),
    ("redusere andelen innsatsstyrt finansiering", "innsatsstyrt", -1),  # "andelen" lets the cue through
    ("Oppheve forbudet mot alkoholkonsum", "alkoholkonsum", 1),  # signs multiply
    ("Fjerne straff for bruk og besittelse av rusmidler", "besitt", 1),
    ("At all bruk og besittelse av narkotika skal være forbudt.", "besitt", -1),  # a cue after, as a participle
    ("stanse og reversere nedbyggingen av døgnplasser", "døgnplass", 1),  # coordinated verbs do not multiply
    ("Ha 50 prosent innsatsstyrt finansiering", "innsatsstyrt", 1),  # setting a level keeps it
])
def test_polarity(text, term, sign):
    assert features(text).signs[term] == sign


def test_a_cue_governs_its_object_only():
    f = features("Begrense vaktbelastningen til fastlegene.")
    assert "fastleg" not in f.signs


def test_an_infinitive_after_the_term_is_not_its_cue():
    assert "alkoholpolitikk" not in features("Videreføre en restriktiv tobakks- og alkoholpolitikk og opprettholde "
                                             "Vinmonopolets samfunnsrolle.").signs


def test_a_negated_list_flips_the_sign():
    assert features("øke egenandelene", negated=True).signs["egenandel"] == -1
