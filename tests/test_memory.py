"""Handing memory back between the build's stages: what a stage made and let go is collected, whatever the process
held before the build is left to the collector after it."""

import gc
import weakref

from helsegraf import memory


class _Cycle:
    def __init__(self):
        self.me = self


def test_release_inside_a_scope_collects_what_was_made_there_and_leaves_what_was_there_before():
    before = _Cycle()
    gone_before = weakref.ref(before)
    with memory.own_objects_only():
        inside = _Cycle()
        gone_inside = weakref.ref(inside)
        del before, inside  # both now garbage, held only by their own cycles
        memory.release()
        assert gone_inside() is None
        assert gone_before() is not None  # set aside: not looked at until the scope ends
    gc.collect()
    assert gone_before() is None
    assert gc.get_freeze_count() == 0
