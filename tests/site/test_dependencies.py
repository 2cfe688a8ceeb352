"""What a page was made from: its context hashed by value, the same in every process; the keys it read, packed."""

import subprocess
import sys

import pyoxigraph as ox
import pytest
from markupsafe import Markup

from helsegraf.site.dependencies import Recorder, key_hash, pack, stable_digest, unpack
from helsegraf.site.measure_table import part_title

CONTEXT = {"rows": [{"iri": "https://example.org/a", "tags": {"b", "a", "c"}}], "title": Markup("<b>x</b>"),
           "counts": {"x": 1, "y": 2.5}, "none": None, "flag": True, "term": ox.NamedNode("https://example.org/t")}


def test_a_context_hashes_the_same_in_another_process_with_another_string_hash_seed():
    code = ("from tests.site.test_dependencies import CONTEXT; from helsegraf.site.dependencies import stable_digest;"
            "print(stable_digest(CONTEXT).hex())")
    seen = {subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                           env={"PYTHONHASHSEED": seed, "PATH": ""}).stdout.strip() for seed in ("1", "2", "3")}
    assert seen == {stable_digest(CONTEXT).hex()}


@pytest.mark.parametrize("other", [
    {**CONTEXT, "title": Markup("<b>y</b>")},
    {**CONTEXT, "rows": [{"iri": "https://example.org/a", "tags": {"b", "a", "c", "d"}}], "counts": {(1, 2): 3}},
    {**CONTEXT, "counts": {"y": 2.5, "x": 1}},  # the order a template iterates in
    {**CONTEXT, "counts": {"x": 1, "y": 2.50001}},
    {**CONTEXT, "rows": [{"iri": "https://example.org/a", "tags": {"a", "b"}}]},
    {**CONTEXT, "flag": 1},
    {**CONTEXT, "term": ox.Literal("https://example.org/t")},
])
def test_any_difference_a_template_could_show_changes_the_hash(other):
    assert stable_digest(other) != stable_digest(CONTEXT)


def test_a_module_function_hashes_by_name_and_a_lambda_or_unknown_object_is_refused():
    assert stable_digest({"f": part_title}) == stable_digest({"f": part_title})
    with pytest.raises(TypeError, match="function"):
        stable_digest({"f": lambda x: x})
    with pytest.raises(TypeError, match="object"):
        stable_digest({"o": object()})


def test_the_recorder_keeps_the_keys_read_between_start_and_stop_only():
    r = Recorder()
    r.read("", "https://example.org/before")  # outside a page: planning, not recorded
    r.start()
    for key in ("https://example.org/b", "_:n1", "https://example.org/b", "en:id/x.html"):
        r.read("", key)  # kinds are prefixes (dependencies.TRIPLES …): none here
    packed = r.stop()
    assert set(unpack(packed)) == {key_hash(k) for k in ("https://example.org/b", "_:n1", "en:id/x.html")}
    r.read("", "https://example.org/after")
    assert r.stop() == pack([])
