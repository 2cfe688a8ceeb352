"""The frames between the endpoint and its evaluator processes: a 4-byte big-endian length, then the bytes.

A request is one JSON frame; an answer is one frame holding a JSON frame (status, Content-Type or error) and then
the body, so the endpoint reads it with one call.
"""

from __future__ import annotations

import json
import struct

HEADER = struct.Struct(">I")


def frame(data: bytes) -> bytes:
    return HEADER.pack(len(data)) + data


def json_frame(obj: dict) -> bytes:
    return frame(json.dumps(obj, ensure_ascii=False).encode("utf-8"))
