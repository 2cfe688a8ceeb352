"""The reference term counts tracing weighs terms by: rarer weighs more, a term the reference never held weighs
most, common Norwegian words are damped, and the table on disk reads back as written and says where it is wrong."""

import pytest

from helsegraf.errors import InputError
from helsegraf.traces.features import ItemRef, item_features
from helsegraf.traces.lexicon import load_lexicon
from helsegraf.traces.weights import count_terms, load_counts, weights_of, write_counts
from tests.repo import MAPPINGS

LEX = load_lexicon(MAPPINGS / "trace_lexicon.toml")
TEXTS = ["styrke fastlegeordningen", "styrke fastlegeordningen i distriktene", "øke kapasiteten i sykehusene",
         "en strategi for kvinnehelse"]


def counts():
    items = [item_features(ItemRef("d", str(n)), t, frozenset({"actor:ks"} if n == 0 else ()), LEX)
             for n, t in enumerate(TEXTS)]
    return count_terms(items)


def test_a_rarer_term_weighs_more_and_an_unseen_one_most():
    c = counts()
    w = weights_of(c)
    assert c.counts["fastlegeordning"] == ("fastlegeordning", 2) and c.counts["kvinneh"] == ("kvinnehelse", 1)
    assert w("kvinneh") > w("fastlegeordning") > 0
    assert w("tannhels", "tannhelse") > w("kvinneh")  # held by no reference item: rarer than any
    assert w("@actor:fhi") == w.unseen > w("@actor:ks")
    assert w.relative("kvinneh") == pytest.approx(1.0)  # one item's term is the scale
    assert w.relative("kapasit") < 1.0  # "kapasitet" is a common word


def test_a_word_common_in_norwegian_is_damped():
    w = weights_of(counts())
    assert w("zzzq", "hus") < w("zzzq", "kvinnehelsestrategi")  # neither counted: damped by the lemma's frequency


def test_the_table_reads_back_as_written(tmp_path):
    c = counts()
    path = tmp_path / "trace_weights.toml"
    write_counts(c, path)
    assert load_counts(path) == c
    first = path.read_bytes()
    write_counts(load_counts(path), path)
    assert path.read_bytes() == first  # sorted, nothing from the clock


def test_the_shipped_table_loads_and_names_its_documents():
    c = load_counts(MAPPINGS / "trace_weights.toml")
    assert c.items > 100 and c.documents and len(c.counts) > 1000


@pytest.mark.parametrize("text, message, line", [
    ("[terms]\n'a' = ['a', 1]\n", "[reference] table", None),
    ("[reference]\nitems = 0\ndocuments = ['d']\n[terms]\n'a' = ['a', 1]\n", "'items'", 2),
    ("[reference]\nitems = 3\ndocuments = []\n[terms]\n'a' = ['a', 1]\n", "'documents'", 3),
    ("[reference]\nitems = 3\ndocuments = ['d']\n[terms]\n\"a\" = ['a', 1]\n\"b\" = ['b', 4]\n", "term 'b'", 6),
    ("[reference]\nitems = 3\ndocuments = ['d']\n", "[terms] table", None),
])
def test_a_bad_table_says_where(tmp_path, text, message, line):
    path = tmp_path / "trace_weights.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as e:
        load_counts(path)
    assert message in str(e.value) and e.value.line == line
