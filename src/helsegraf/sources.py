"""The source manifest and the texts it names: loaded, checked and decoded, or a clear error."""

from __future__ import annotations

import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .tomlrows import is_http_url

PARSERS = ("white_paper", "speech", "programme")
CURATABLE = ("date", "issuer", "title")
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class SourceDoc:
    slug: str
    path: Path
    sha256: str
    parser: str
    title: str
    short_title: str
    genre: str
    issuer: str
    date: str
    curated: tuple[str, ...]
    co_issuers: tuple[str, ...] = ()
    government: str | None = None
    commitment_lead: str | None = None
    topical_headings: tuple[str, ...] = ()
    manifest_line: int | None = None
    pages: str | None = None  # PDF pages to read, "FIRST-LAST"
    start_heading: str | None = None  # read from this heading (a PDF's chapter) ...
    stop_heading: str | None = None  # ... up to this one
    implausible_ok: bool = False  # a document known to hold no pledges may build with none (a warning)
    curation_source: str | None = None  # where this document's curated facts come from, beside the manifest's
    plan_period: tuple[int, int] | None = None  # the years a plan covers ("i løpet av planperioden")
    landing_page: str | None = None  # the document's official page, where a source confirms it
    retrieved_from: str | None = None  # where the source file was taken from, byte for byte

    @property
    def is_pdf(self) -> bool:
        return self.path.suffix.lower() == ".pdf"


@dataclass(frozen=True)
class Manifest:
    path: Path
    documents: tuple[SourceDoc, ...]
    curation_source: str
    curation_agent: str
    curation_note: str
    raw: bytes = field(repr=False, default=b"")

    def by_slug(self, slug: str) -> SourceDoc:
        for d in self.documents:
            if d.slug == slug:
                return d
        raise KeyError(slug)


def _doc_lines(text: str) -> list[int]:
    """Line numbers of each [[document]] table, to point errors at the right entry."""
    return [i for i, line in enumerate(text.splitlines(), 1) if line.strip() == "[[document]]"]


def load_manifest(path: Path) -> Manifest:
    if not path.is_file():
        raise InputError(path, "manifest not found")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except UnicodeDecodeError as e:
        raise InputError(path, f"not UTF-8 ({e.reason} at byte {e.start})") from None
    except tomllib.TOMLDecodeError as e:
        m = re.search(r"line (\d+)", str(e))
        raise InputError(path, f"not valid TOML: {e}", int(m.group(1)) if m else None) from None
    starts = _doc_lines(text)
    entries = data.get("document")
    if not isinstance(entries, list) or not entries:
        raise InputError(path, "expected at least one [[document]] table")
    docs: list[SourceDoc] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        line = starts[i] if i < len(starts) else None

        def need(key: str) -> str:
            value = entry.get(key)
            if not isinstance(value, str) or not value.strip():
                raise InputError(path, f"document entry lacks a non-empty string '{key}'", line)
            return value

        slug = need("slug")
        if not _SLUG.match(slug):
            raise InputError(path, f"slug {slug!r} must be lower-case words joined by '-'", line)
        if slug in seen:
            raise InputError(path, f"duplicate slug {slug!r}", line)
        seen.add(slug)
        parser = need("parser")
        if parser not in PARSERS:
            raise InputError(path, f"unknown parser {parser!r}; expected one of {', '.join(PARSERS)}", line)
        date = need("date")
        if not _DATE.match(date):
            raise InputError(path, f"date {date!r} must be YYYY, YYYY-MM or YYYY-MM-DD", line)
        curated = tuple(entry.get("curated", []))
        for c in curated:
            if c not in CURATABLE:
                raise InputError(path, f"curated fact {c!r} unknown; expected one of {', '.join(CURATABLE)}", line)
        file = need("file")
        is_pdf = file.lower().endswith(".pdf")
        if parser == "programme" and not is_pdf and not entry.get("commitment_lead"):
            raise InputError(path, "a programme needs 'commitment_lead' (e.g. \"Regjeringen vil\")", line)
        plan_period = None
        if "plan_period" in entry:
            m = re.fullmatch(r"(\d{4})-(\d{4})", str(entry["plan_period"]))
            if not m or int(m.group(2)) < int(m.group(1)):
                raise InputError(path, f"plan_period {entry['plan_period']!r} must be \"YYYY-YYYY\", first year first",
                                 line)
            plan_period = (int(m.group(1)), int(m.group(2)))
        for key in ("landing_page", "retrieved_from"):
            if key in entry and not is_http_url(entry[key]):
                raise InputError(path, f"'{key}' must be an http(s) address, not {entry[key]!r}", line)
        for key in ("pages", "start", "stop"):
            if key in entry and (not is_pdf or not isinstance(entry[key], str) or not entry[key].strip()):
                raise InputError(path, f"'{key}' selects part of a PDF: a non-empty string on a PDF entry", line)
        docs.append(
            SourceDoc(
                slug=slug,
                path=(path.parent / file).resolve(),
                sha256=need("sha256"),
                parser=parser,
                title=need("title"),
                short_title=entry.get("short_title") or need("title"),
                genre=need("genre"),
                issuer=need("issuer"),
                date=date,
                curated=curated,
                co_issuers=tuple(entry.get("co_issuers", [])),
                government=entry.get("government"),
                commitment_lead=entry.get("commitment_lead"),
                topical_headings=tuple(entry.get("topical_headings", [])),
                manifest_line=line,
                pages=entry.get("pages"),
                start_heading=entry.get("start"),
                stop_heading=entry.get("stop"),
                implausible_ok=bool(entry.get("implausible_ok", False)),
                curation_source=entry.get("curation_source"),
                plan_period=plan_period,
                landing_page=entry.get("landing_page"),
                retrieved_from=entry.get("retrieved_from"),
            )
        )
    cur = data.get("curation", {})
    return Manifest(
        path=path,
        documents=tuple(docs),
        curation_source=cur.get("source", ""),
        curation_agent=cur.get("agent", "helsegraf-editors"),
        curation_note=cur.get("note", ""),
        raw=raw,
    )


def read_checked(doc: SourceDoc, check_sha256: bool = True) -> bytes:
    """The source file's bytes, present, not empty and as the manifest's SHA-256 says."""
    path = doc.path
    if not path.is_file():
        raise InputError(path, f"source file for '{doc.slug}' is missing")
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError(path, f"source file for '{doc.slug}' is empty", 1)
    if check_sha256:
        digest = hashlib.sha256(raw).hexdigest()
        if digest != doc.sha256:
            raise InputError(
                path,
                f"sha256 {digest} differs from the manifest's {doc.sha256}: source texts are data and must not be "
                "edited; if the text was replaced on purpose, update the manifest",
            )
    return raw


def read_source(doc: SourceDoc, check_sha256: bool = True) -> list[str]:
    """The text's lines (without line ends); line N of the file is element N-1."""
    path = doc.path
    raw = read_checked(doc, check_sha256=False)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        raise InputError(path, f"not UTF-8: {e.reason} (byte 0x{raw[e.start]:02x})", line) from None
    read_checked(doc, check_sha256)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return lines
