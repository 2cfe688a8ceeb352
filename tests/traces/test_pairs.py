"""The links of each pair of documents kept between builds: a pair of unchanged documents is not linked again, a
changed document's pairs are, the cache forgets pairs no longer in the corpus, and a broken cache file is a miss."""

import sqlite3

from helsegraf.traces.pairs import PairCache, link, link_corpus, pair_key
from helsegraf.traces.weights import corpus_weights
from tests.traces.test_link import METHOD, corpus

ORDER = {"plattform": 0, "melding": 1, "bakgrunn": 2}
KEYS = {"plattform": "k-plattform", "melding": "k-melding", "bakgrunn": "k-bakgrunn"}


def test_unchanged_pairs_come_from_the_cache_and_give_the_same_links(tmp_path):
    items = corpus()
    w = corpus_weights(items)
    cache = PairCache(tmp_path / "pairs.sqlite")
    first, linked = link_corpus(items, w, METHOD, ORDER, KEYS, cache)
    assert linked == 3 and first == link(items, w, METHOD, ORDER)
    again, linked = link_corpus(items, w, METHOD, ORDER, KEYS, cache)
    assert (again, linked) == (first, 0)
    _, linked = link_corpus(items, w, METHOD, ORDER, {**KEYS, "melding": "k-melding-2"}, cache)
    assert linked == 2  # melding's two pairs; plattform–bakgrunn kept
    cache.close()


def test_the_cache_forgets_pairs_no_longer_in_the_corpus(tmp_path):
    items = corpus()
    w = corpus_weights(items)
    path = tmp_path / "pairs.sqlite"
    cache = PairCache(path)
    link_corpus(items, w, METHOD, ORDER, KEYS, cache)
    link_corpus([it for it in items if it.ref.document != "bakgrunn"], w, METHOD, ORDER, KEYS, cache)
    cache.close()
    with sqlite3.connect(path) as db:
        assert [k for (k,) in db.execute("SELECT key FROM pair")] == [pair_key("k-plattform", "k-melding")]


def test_a_pair_is_keyed_in_the_order_its_links_read(tmp_path):
    assert pair_key("a", "b") != pair_key("b", "a")


def test_a_broken_cache_file_is_started_again(tmp_path):
    path = tmp_path / "pairs.sqlite"
    path.write_bytes(b"not a database, torn by a crash" * 100)
    items = corpus()
    cache = PairCache(path)
    links, linked = link_corpus(items, corpus_weights(items), METHOD, ORDER, KEYS, cache)
    assert linked == 3 and links
    cache.close()


def test_an_unreadable_entry_is_linked_again(tmp_path):
    items = corpus()
    w = corpus_weights(items)
    path = tmp_path / "pairs.sqlite"
    cache = PairCache(path)
    first, _ = link_corpus(items, w, METHOD, ORDER, KEYS, cache)
    cache._db.execute("UPDATE pair SET links = ?", (b"\x80garbage",))
    cache._db.commit()
    again, linked = link_corpus(items, w, METHOD, ORDER, KEYS, cache)
    assert (again, linked) == (first, 3)
    cache.close()


def test_pairs_linked_on_several_processes_give_the_links_of_one(tmp_path, monkeypatch):
    """Each pair's links are a function of its two documents: shared out to processes (a task of PAIRS_PER_TASK
    pairs at a time, done in any order), the links and the cache are those of one process."""
    from helsegraf.traces import pairs

    monkeypatch.setattr(pairs, "PAIRS_PER_TASK", 1)
    items = corpus()
    w = corpus_weights(items)
    one, two = PairCache(tmp_path / "one.sqlite"), PairCache(tmp_path / "two.sqlite")
    serial, linked_serial = link_corpus(items, w, METHOD, ORDER, KEYS, one, jobs=1)
    parallel, linked_parallel = link_corpus(items, w, METHOD, ORDER, KEYS, two, jobs=2)
    assert serial and (serial, linked_serial) == (parallel, linked_parallel) == (link(items, w, METHOD, ORDER), 3)
    rows = [dict(cache._db.execute("SELECT key, links FROM pair")) for cache in (one, two)]
    assert rows[0] == rows[1] and len(rows[0]) == 3
    one.close()
    two.close()
