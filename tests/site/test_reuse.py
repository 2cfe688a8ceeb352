"""Keeping the previous build's unchanged pages: which keys a change touches, when a page is kept, and that a
ledger that does not describe the previous build keeps nothing. (That a rebuild after a change writes what a clean
build writes: tests/test_document_work.py.)"""

from helsegraf.build import build
from tests.conftest import SYNTHETIC_BUNDLE_PAGES, copy_build
from helsegraf.site.dependencies import HAS, INCOMING, LABEL, PLAN, TRIPLES, english_key, key_hash, line_key, pack
from helsegraf.serialize import file_sha256
from helsegraf.site.reuse import Ledger, Reuse, changed_keys, hashed_facts, lines_digests, prepare

EX = "https://example.org/"


def _nquads(path, lines):
    path.write_text("".join(sorted(line + "\n" for line in lines)), encoding="utf-8")
    return path


def test_a_change_touches_what_the_pages_that_read_its_quads_read(tmp_path):
    """A quad in one dump only touches its subject's triples, its label or types where it is one, its object's
    incoming links, and its fragment's resource; whether a subject is described at all, only where every quad of
    it came or went."""
    same = f'<{EX}a> <{EX}p> "kept" <{EX}g> .'
    label = "http://www.w3.org/2000/01/rdf-schema#label"
    old = _nquads(tmp_path / "old.nq", [same, f'<{EX}b> <{EX}p> <{EX}c> <{EX}g> .',
                                         f'<{EX}d#orgnr> <{EX}p> "1" <{EX}g> .', f'<{EX}gone> <{EX}p> "x" <{EX}g> .'])
    new = _nquads(tmp_path / "new.nq", [same, f'<{EX}b> <{EX}p> _:n1 <{EX}g> .', f'_:n1 <{label}> "x" <{EX}g> .',
                                         f'<{EX}d#orgnr> <{EX}p> "2" <{EX}g> .'])
    counts = {f"{EX}b": 1, "n1": 1, f"{EX}d#orgnr": 1, f"{EX}gone": 0}
    touched = changed_keys(old, new, lambda term: counts[term.value])
    assert touched == {TRIPLES + f"{EX}b", INCOMING + f"{EX}c", INCOMING + "_:n1",
                       TRIPLES + "_:n1", LABEL + "_:n1", HAS + "_:n1",
                       TRIPLES + f"{EX}d#orgnr", TRIPLES + f"{EX}d",
                       TRIPLES + f"{EX}gone", HAS + f"{EX}gone"}
    assert changed_keys(old, old, lambda term: 1) == set()


def _ledger(reads: list[str], english=frozenset()) -> Ledger:
    return Ledger(b"site", "graph", frozenset(english), {}, {"id/a.html": (b"recipe", (".html", ".ttl"), pack(
        key_hash(k) for k in reads))})


def test_a_page_is_kept_only_with_the_same_recipe_and_nothing_it_read_touched():
    ledger = _ledger([TRIPLES + f"{EX}a", LABEL + f"{EX}neighbour", english_key("id/b.html")])
    untouched = Reuse(previous=ledger, touched=frozenset({key_hash(TRIPLES + f"{EX}neighbour")}))
    assert untouched.kept("id/a.html", b"recipe").suffixes == (".html", ".ttl")
    assert untouched.kept("id/a.html", b"another recipe") is None
    assert untouched.kept("id/new.html", b"recipe") is None  # no such page before
    for key in (LABEL + f"{EX}neighbour", english_key("id/b.html")):
        assert Reuse(previous=ledger, touched=frozenset({key_hash(key)})).kept("id/a.html", b"recipe") is None
    assert Reuse().kept("id/a.html", b"recipe") is None  # no previous build


def test_a_torn_or_foreign_ledger_is_no_ledger(tmp_path):
    path = tmp_path / "site-pages.ledger"
    _ledger([]).save(path)
    assert Ledger.load(path).pages.keys() == {"id/a.html"}
    path.write_bytes(path.read_bytes()[:40])
    assert Ledger.load(path) is None
    path.write_bytes(b"not a pickle")
    assert Ledger.load(path) is None
    assert Ledger.load(tmp_path / "missing") is None


def test_a_ledger_is_used_only_for_the_build_it_describes(tmp_path):
    previous = tmp_path / "build"
    (previous / "site").mkdir(parents=True)
    dump = _nquads(previous / "helsegraf.nq", [f'<{EX}a> <{EX}p> "x" <{EX}g> .'])
    ledger = tmp_path / "site-pages.ledger"
    before = lines_digests({f"{EX}doc": ["a", "b", "c"], f"{EX}other": ["x"]})
    Ledger(b"site", file_sha256(dump), frozenset(), before, {}).save(ledger)
    now = lines_digests({f"{EX}doc": ["a", "B", "c", "d"], f"{EX}other": ["x"]})  # line 2 changed, line 4 new
    reuse = prepare(ledger, previous, dump, b"site", set(), now, lambda term: 1)
    assert reuse.previous is not None
    assert reuse.touched == {key_hash(line_key(f"{EX}doc", 2)), key_hash(line_key(f"{EX}doc", 4))}
    assert "code, templates" in prepare(ledger, previous, dump, b"other code", set(), {}, lambda term: 1).why_not
    _nquads(previous / "helsegraf.nq", [f'<{EX}a> <{EX}p> "y" <{EX}g> .'])  # another build in its place
    assert "not the one" in prepare(ledger, previous, dump, b"site", set(), {}, lambda term: 1).why_not
    assert "no ledger" in prepare(tmp_path / "none", previous, dump, b"site", set(), {}, lambda term: 1).why_not


def test_a_build_with_nothing_changed_keeps_every_page_but_one_whose_file_was_deleted(tmp_path, synthetic_built):
    out, cache = tmp_path / "build", tmp_path / "cache"
    copy_build(synthetic_built, out, cache)  # built with a cache, so with a ledger of its pages
    written = {p.relative_to(out): p.read_bytes() for p in (out / "site").rglob("*") if p.is_file()}
    gone = next((out / "site" / "id").rglob("*.ttl"))
    gone.unlink()  # a file of the previous build deleted by hand: its page is rendered again, not lost
    again = build(out, synthetic_built.out.parent / "sources" / "manifest.toml", cache=cache, jobs=2,
                  search_bundle_pages=SYNTHETIC_BUNDLE_PAGES)
    assert synthetic_built.pages_kept == 0 and again.pages_kept == again.pages - 1 == synthetic_built.pages - 1
    assert again.search_bundles[0] >= again.search_bundles[1] - 1  # but the bundle of that page, if it is searched
    assert {p.relative_to(out): p.read_bytes() for p in (out / "site").rglob("*") if p.is_file()} == written


def test_a_plan_fact_that_differs_is_touched_and_an_items_links_touch_its_documents_fact(tmp_path):
    """What a page's later part read of the plan (dependencies.PLAN) is touched where the plan's fact differs or
    is new or gone; a link of an item that came, went or changed ends (a quad whose object is the item) touches
    its document's fact as well, which a pair page of the document reads."""
    previous = tmp_path / "build"
    (previous / "site").mkdir(parents=True)
    dump = _nquads(previous / "helsegraf.nq", [f'<{EX}trace> <{EX}to> <{EX}item-1> <{EX}g> .'])
    old = hashed_facts({PLAN + f"{EX}item-1": b"a", PLAN + f"{EX}item-2": b"b", PLAN + f"{EX}gone": b"c"})
    ledger = tmp_path / "site-pages.ledger"
    Ledger(b"site", file_sha256(dump), frozenset(), {}, {}, old).save(ledger)
    new = hashed_facts({PLAN + f"{EX}item-1": b"a", PLAN + f"{EX}item-2": b"B", PLAN + f"{EX}new": b"d"})
    unchanged = prepare(ledger, previous, dump, b"site", set(), {}, lambda term: 1, new, {})
    assert unchanged.touched == {key_hash(PLAN + f"{EX}{k}") for k in ("item-2", "gone", "new")}
    relinked = _nquads(tmp_path / "new.nq", [f'<{EX}trace> <{EX}to> <{EX}item-3> <{EX}g> .'])
    docs = {f"{EX}item-1": f"{EX}doc-a", f"{EX}item-3": f"{EX}doc-b", f"{EX}item-4": f"{EX}doc-c"}
    reuse = prepare(ledger, previous, relinked, b"site", set(), {}, lambda term: 1, old, docs)
    assert {key_hash(PLAN + f"{EX}doc-a"), key_hash(PLAN + f"{EX}doc-b")} <= reuse.touched
    assert key_hash(PLAN + f"{EX}doc-c") not in reuse.touched
