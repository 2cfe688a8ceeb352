"""The store on disk is the dump, quad for quad, whatever the size of the chunks it is loaded in, and keeps the
dump's blank node labels (Oxigraph's own loaders rename them at random, so the store would differ build to build)."""

import pyoxigraph as ox

from helsegraf.disk_store import load

NQ = """<https://example.org/a> <https://example.org/p> _:shared <https://example.org/g1> .
_:shared <https://example.org/q> "verdi"@nb <https://example.org/g1> .
<https://example.org/a> <https://example.org/p> "to grafer" <https://example.org/g1> .
<https://example.org/a> <https://example.org/p> "to grafer" <https://example.org/g2> .
<https://example.org/b> <https://example.org/p> <https://example.org/a> .
"""


def test_the_store_holds_the_dump_loaded_in_chunks_with_its_blank_nodes(tmp_path):
    (tmp_path / "dump.nq").write_text(NQ, encoding="utf-8")
    expected = set(ox.parse(NQ.encode(), format=ox.RdfFormat.N_QUADS))
    for chunk in (1, 2, 50_000):
        load(tmp_path / "dump.nq", tmp_path / f"store-{chunk}", chunk=chunk)
        store = ox.Store.read_only(str(tmp_path / f"store-{chunk}"))
        # a blank node cut across two chunks (chunk=1) stays one node, with its label
        assert set(store) == expected
        assert {q.object.value for q in store if isinstance(q.object, ox.BlankNode)} == {"shared"}
