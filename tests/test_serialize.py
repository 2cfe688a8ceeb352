"""The dumps' bytes: N-Quads sorted line by line in the order of the text, and gzip files that carry no name and no
time, so the same graph gives the same files."""

import gzip

import pyoxigraph as ox

from helsegraf.serialize import SortedRuns, gzip_file, gzipped, union_triples, write_sorted_nquads

EX = "https://example.org/"


def _store(*texts: str) -> ox.Store:
    store = ox.Store()
    for i, text in enumerate(texts):
        store.add(ox.Quad(ox.NamedNode(f"{EX}s{i % 2}"), ox.NamedNode(f"{EX}p"), ox.Literal(text, language="nb"),
                          ox.NamedNode(f"{EX}g")))
    return store


def test_nquads_are_sorted_as_text_one_quad_a_line(tmp_path):
    # æ, ø and å sort after z by code point, and bytewise in UTF-8 just the same
    texts = ["å", "z", "æ", "Ø", "a", "line\u2028separator", "ab"]
    write_sorted_nquads(_store(*texts), tmp_path / "x.nq")
    lines = (tmp_path / "x.nq").read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) - 1 == len(texts)
    decoded = [line.decode("utf-8") for line in lines[:-1]]
    assert decoded == sorted(decoded)
    # regression: the dump was split with str.splitlines, which also breaks at U+2028 inside a literal
    assert {q.object.value for q in ox.parse(path=str(tmp_path / "x.nq"), format=ox.RdfFormat.N_QUADS)} == set(texts)


def test_a_quad_in_two_graphs_is_two_lines_and_a_repeated_one_is_one(tmp_path):
    store = _store("a")
    store.add(ox.Quad(ox.NamedNode(f"{EX}s0"), ox.NamedNode(f"{EX}p"), ox.Literal("a", language="nb"),
                      ox.NamedNode(f"{EX}h")))
    write_sorted_nquads(store, tmp_path / "x.nq")
    assert len((tmp_path / "x.nq").read_bytes().splitlines()) == 2


def test_a_dump_larger_than_a_run_is_sorted_in_runs_and_merged(tmp_path):
    texts = [f"tekst {i:03d} {'æøå'[i % 3]}" for i in range(200)][::-1]
    store = _store(*texts, *texts[:50])  # the same quads twice: each line once in the dump
    write_sorted_nquads(store, tmp_path / "whole.nq")
    write_sorted_nquads(store, tmp_path / "runs.nq", run_bytes=1_000)  # about ten lines a run
    assert (tmp_path / "runs.nq").read_bytes() == (tmp_path / "whole.nq").read_bytes()
    assert len((tmp_path / "runs.nq").read_bytes().splitlines()) == 200


def test_runs_kept_as_quads_are_loaded_merge_into_the_store_s_own_dump(tmp_path):
    texts = [f"tekst {i:03d} {'æøå'[i % 3]}" for i in range(200)][::-1] + ["line\u2028separator", 'a "quote"\nand a line']
    quads = [ox.Quad(ox.NamedNode(f"{EX}s{i % 7}"), ox.NamedNode(f"{EX}p"), ox.Literal(t, language="nb"),
                     ox.NamedNode(f"{EX}g{i % 3}")) for i, t in enumerate(texts)]
    quads.append(ox.Quad(ox.BlankNode("b0a"), ox.NamedNode(f"{EX}p"), ox.BlankNode("N1"), ox.NamedNode(f"{EX}g")))
    # a value the store keeps in its own form: written as the store gives it back, not as it was given
    xsd = "http://www.w3.org/2001/XMLSchema#"
    for value, datatype in (("1.0", "decimal"), ("007", "integer"), ("+5", "int"), ("1", "boolean"), ("1.0E0", "float"),
                            ("2024-01-05T10:00:00+00:00", "dateTime"), ("P1Y0M", "duration"), ("abc", "integer")):
        quads.append(ox.Quad(ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}{datatype}"),
                             ox.Literal(value, datatype=ox.NamedNode(xsd + datatype)), ox.NamedNode(f"{EX}g")))
    store = ox.Store()
    store.extend(quads)
    write_sorted_nquads(store, tmp_path / "store.nq")
    for at_once in (256, 2):  # all runs at once, and in rounds of two
        runs = SortedRuns(tmp_path / f"runs-{at_once}")
        for i in range(0, len(quads), 30):  # loads of 30 quads, some twice over
            runs.add(quads[i:i + 30])
            runs.add(quads[i:i + 5])
        assert runs.merge_into(tmp_path / "merged.nq", at_once) == len(store)
        assert (tmp_path / "merged.nq").read_bytes() == (tmp_path / "store.nq").read_bytes()
        assert not list((tmp_path / f"runs-{at_once}").iterdir())  # the runs are gone


def test_the_union_is_each_triple_once_in_the_order_of_its_terms(tmp_path):
    store = ox.Store()
    s, p = ox.NamedNode(f"{EX}s"), ox.NamedNode(f"{EX}p")
    integer = ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")
    objects = [ox.Literal("a"), ox.Literal("a", language="nb"), ox.Literal("a b"), ox.NamedNode(f"{EX}o"),
               ox.NamedNode(f"{EX}o/1"), ox.Literal("1", datatype=integer)]
    for o in objects:  # every triple in two graphs: its two lines must be neighbours in the sorted dump
        for g in ("g", "h"):
            store.add(ox.Quad(s, p, o, ox.NamedNode(EX + g)))
    store.add(ox.Quad(ox.NamedNode(f"{EX}s/2"), p, ox.Literal("x"), ox.NamedNode(f"{EX}g")))
    write_sorted_nquads(store, tmp_path / "x.nq")
    triples = list(union_triples(tmp_path / "x.nq"))
    assert triples == sorted({q.triple for q in store}, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
    assert len(triples) == len(objects) + 1


def test_gzip_files_have_no_name_or_time_and_the_same_bytes_twice(tmp_path):
    (tmp_path / "data.nq").write_bytes(b"x" * 100_000)
    gzip_file(tmp_path / "data.nq", tmp_path / "one.gz")
    with gzipped(tmp_path / "two.gz") as out:
        out.write(b"x" * 100_000)
    one, two = (tmp_path / "one.gz").read_bytes(), (tmp_path / "two.gz").read_bytes()
    assert one == two and gzip.decompress(one) == b"x" * 100_000
    flags, mtime = one[3], one[4:8]
    assert flags & 0x08 == 0 and mtime == b"\0\0\0\0"  # no FNAME field, no modification time
