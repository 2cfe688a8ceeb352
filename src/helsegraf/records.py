"""Plain records the parsers yield: no RDF here, only what the text says and where."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum


class ItemKind(str, Enum):
    BOX_MEASURE = "box_measure"  # an item of a "Boks N.1 Regjeringen vil" box
    ANNOUNCED_MEASURE = "announced_measure"  # a dash list announced by "regjeringen vil:" in running text
    COMMITMENT = "commitment"  # a platform or party programme pledge
    MAIN_MOVE = "main_move"  # one of the plan's main moves, as the speech lists them
    SPEECH_PLEDGE = "speech_pledge"  # an item of another list of pledges in a speech ("tre spor", "tre ting vi skal")
    TEXT_ITEM = "text_item"  # any other list item: kept as text, not a measure

    @property
    def is_measure(self) -> bool:
        return self is not ItemKind.TEXT_ITEM


class PageStatus(str, Enum):
    STATED = "stated"  # the page carries its running header with the number
    INFERRED = "inferred"  # counted from the nearest running header over the page breaks in between


@dataclass(frozen=True)
class Span:
    """Lines start..end (1-based, inclusive) of the source text, and the page they start on: the page number
    printed there (stated or inferred) and, for a PDF, the page of the file itself."""

    start: int
    end: int
    page: int | None = None
    page_status: PageStatus | None = None
    pdf_page: int | None = None


@dataclass
class Part:
    """A chapter, section or box of a document's outline, or a topical heading of a programme."""

    kind: str  # "chapter" | "section" | "box" | "heading"
    key: str  # stable within the document: "3", "3.1.2", "3.1", or a slug of the heading
    title: str
    span: Span
    number: str | None = None
    parent: str | None = None  # key of the enclosing part


@dataclass
class ItemGroup:
    """The lead-in sentence that introduces a run of items ("Regjeringen vil … gjennom følgende tiltak:")."""

    key: str
    text: str
    span: Span
    part: str | None


@dataclass
class Item:
    kind: ItemKind
    key: str  # stable within the document, e.g. "box-3.1/4", "box-5.1/13.2", "s2.4/1", "folkehelse/3"
    number: str  # "4", "13.2"
    text: str
    span: Span
    locator: str  # human readable: "Boks 3.1, punkt 4"
    part: str | None  # key of the part (box or section) the item sits in
    group: str | None = None  # key of its ItemGroup
    parent: str | None = None  # key of the item it is nested under ("… ved å:")
    order: int = 0  # reading order within the document
    negated: bool = False  # "Helsepartiet vil ikke:"
    restates: str | None = None  # key of the measure of the same document this one states again (parse/restatements)


@dataclass
class ParsedDocument:
    slug: str
    lines: list[str] = field(repr=False)
    title_in_text: str | None
    parts: list[Part]
    groups: list[ItemGroup]
    items: list[Item]
    coverage: dict | None = None  # what a layout parser saw and made of it (parse/layout_programme.Coverage)

    @property
    def measures(self) -> list[Item]:
        return [i for i in self.items if i.kind.is_measure]

    @property
    def distinct_measures(self) -> list[Item]:
        """The measures counted once: without those that restate another of the document."""
        return [i for i in self.measures if i.restates is None]


@dataclass(frozen=True)
class Mention:
    """Where a text names an entity of the catalogue."""

    key: str  # stable within the document: "<item key>/nevner/2" or "tekst/1633/1"
    entity: str  # "actor:helsedirektoratet"
    surface: str  # the words as written
    span: Span
    item: str | None  # key of the item it stands in, None for running text
    part: str | None  # key of the innermost part it stands in
    role: str | None = None
    law_section: str | None = None
    cited_as: str | None = None  # a miscitation: the entity whose number the text gives (`entity` is the one meant)
    sentence: str | None = None  # for a mention in running text: the sentence it stands in
