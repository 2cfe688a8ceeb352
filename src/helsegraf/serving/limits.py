"""What one query may cost the public endpoint, and how much of the machine the endpoint may use."""

from __future__ import annotations

import os
from dataclasses import dataclass, field


def _default_workers() -> int:
    # Two evaluators per core: one long query per core still leaves one free for the short ones.
    return max(2, 2 * len(os.sched_getaffinity(0)))


@dataclass(frozen=True)
class Limits:
    timeout_s: float = 10.0  # wall time from arrival to answer; past it the evaluation is stopped
    max_result_bytes: int = 50 * 1024 * 1024
    max_query_bytes: int = 64 * 1024
    max_body_bytes: int = 128 * 1024  # a form-encoded query is larger than the query itself
    body_timeout_s: float = 10.0  # a client has this long to send its request body
    max_depth: int = 64  # nested (), {}, []
    max_terms: int = 4000  # variables, IRIs, prefixed names and literals
    max_closures: int = 16  # property path * and +
    allow_service: bool = False  # SERVICE fetches from other servers: only for trusted local use
    workers: int = field(default_factory=_default_workers)
    worker_memory_mb: int = 2048  # resident memory one evaluator may use; past it the evaluation is stopped
    cache_entries: int = 4096
    cache_bytes: int = 256 * 1024 * 1024
    max_age_s: int = 3600
    gzip_min_bytes: int = 1024

    def to_env(self) -> dict[str, str]:
        return {f"HELSEGRAF_LIMIT_{k.upper()}": str(v) for k, v in self.__dict__.items()}

    @classmethod
    def from_env(cls, env: dict[str, str]) -> "Limits":
        kw = {}
        for name, f in cls.__dataclass_fields__.items():
            raw = env.get(f"HELSEGRAF_LIMIT_{name.upper()}")
            if raw is None:
                continue
            kind = f.type if isinstance(f.type, type) else {"float": float, "int": int, "bool": bool}[f.type]
            kw[name] = (raw == "True") if kind is bool else kind(raw)
        return cls(**kw)
