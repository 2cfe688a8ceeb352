"""A mention in running text carries the sentence it stands in (regression: it kept its word but not its sentence)."""

import pytest

from helsegraf.entities.mentions import MAX_SENTENCE, sentence_around

TEXT = ("Dette er første setning. I helsefellesskapene møtes kommuner og sykehus. Helsefellesskapene er ingen juridisk "
        "enhet, jf. Meld. St. 9 (2023–2024) og NOU 2023: 4. «Neste» setning står her.")


@pytest.mark.parametrize("word, sentence", [
    ("helsefellesskapene møtes", "I helsefellesskapene møtes kommuner og sykehus."),
    ("Helsefellesskapene er", "Helsefellesskapene er ingen juridisk enhet, jf. Meld. St. 9 (2023–2024) og NOU 2023: 4."),
    ("Meld. St. 9", "Helsefellesskapene er ingen juridisk enhet, jf. Meld. St. 9 (2023–2024) og NOU 2023: 4."),
    ("første", "Dette er første setning."),
])
def test_the_sentence_around_a_mention(word, sentence):
    i = TEXT.index(word)
    assert sentence_around(TEXT, i, i + len(word)) == sentence


def test_a_sentence_without_end_is_cut_around_the_mention():
    text = "ord " * 300 + "Helsedirektoratet " + "ord " * 300
    i = text.index("Helsedirektoratet")
    s = sentence_around(text, i, i + 17)
    assert "Helsedirektoratet" in s and s.startswith("…") and s.endswith("…") and len(s) <= MAX_SENTENCE + len("Helsedirektoratet") + 2


def test_mentions_in_running_text_carry_their_sentence_in_the_graph(built):
    import pyoxigraph as ox

    s = ox.Store.read_only(str(built.out / "store"))
    rows = list(s.query("""PREFIX hg: <https://w3id.org/helsegraf/ontology#>
        SELECT ?surface ?sentence WHERE { ?x hg:surfaceForm ?surface FILTER NOT EXISTS { ?x hg:inItem ?i }
        OPTIONAL { ?x hg:sentence ?sentence } }""", use_default_graph_as_union=True))
    assert len(rows) > 2000
    assert all(r["sentence"] is not None and r["surface"].value in r["sentence"].value for r in rows)
