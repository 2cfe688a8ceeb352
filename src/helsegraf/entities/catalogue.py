"""The curated catalogue of entities (mappings/actors.toml, laws.toml, reports.toml, patient_groups.toml),
checked row by row: a duplicate slug, an unknown type, a malformed Lovdata identifier or a broken link fails with
the file and the row's line."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import InputError
from ..paths import mappings_dir
from ..tomlrows import is_http_url, load_rows, need_str, opt_str

ACTOR_TYPES = ("Actor", "Organisation", "Ministry", "Directorate", "PublicBody", "Parliament", "HealthRegionGroup",
               "HealthRegion", "HealthTrust", "Hospital", "MunicipalSectorOrganisation", "CollectiveActor",
               "Commission", "Government", "PoliticalParty", "Office")
REPORT_KINDS = {"nou": "OfficialReport", "meld-st": "WhitePaper", "st-meld": "WhitePaper", "prop": "Bill",
                "report": "Report"}
KINDS = ("actor", "law", "report", "patient_group")
LOVDATA = re.compile(r"^LOV-(\d{4})-(\d{2})-(\d{2})-(\d{1,4})$")
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass
class Entity:
    kind: str  # actor | law | report | patient_group
    slug: str
    type: str  # the ontology class (without prefix)
    pref_nb: str
    pref_en: str | None = None
    pref_nn: str | None = None
    alt: list[str] = field(default_factory=list)  # names: published as skos:altLabel, and matched
    forms: list[str] = field(default_factory=list)  # inflected or erroneous forms: matched only
    definition_nb: str | None = None
    broader: str | None = None  # a slug of the same kind
    extra: dict = field(default_factory=dict)
    source: tuple[Path, int | None] = (Path("."), None)

    @property
    def id(self) -> str:
        return f"{self.kind}:{self.slug}"

    def match_labels(self) -> list[str]:
        labels = [self.pref_nb, *self.alt, *self.forms]
        for key in ("number", "title_nb", "short_nb", "lovdata"):
            if self.extra.get(key):
                labels.append(self.extra[key])
        return list(dict.fromkeys(labels))


@dataclass
class Catalogue:
    entities: dict[str, Entity]
    scheme: dict

    def of_kind(self, kind: str) -> list[Entity]:
        return [e for e in self.entities.values() if e.kind == kind]

    def get(self, kind: str, slug: str) -> Entity | None:
        return self.entities.get(f"{kind}:{slug}")


def _strings(path: Path, line: int | None, row: dict, key: str) -> list[str]:
    value = row.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise InputError(path, f"'{key}' must be a list of non-empty strings", line)
    return value


def _base(kind: str, path: Path, line: int | None, row: dict, seen: set[str], pref_key: str = "pref_nb") -> dict:
    slug = need_str(path, line, row, "slug")
    if not _SLUG.match(slug):
        raise InputError(path, f"slug {slug!r} must be lower-case ASCII words joined by '-'", line)
    if slug in seen:
        raise InputError(path, f"duplicate slug {slug!r}", line)
    seen.add(slug)
    for key in ("not_after", "not_before"):
        for p in _strings(path, line, row, key):
            try:
                re.compile(p)
            except re.error as e:
                raise InputError(path, f"{key}: bad regular expression {p!r}: {e}", line) from None
    return dict(kind=kind, slug=slug, pref_nb=need_str(path, line, row, pref_key), pref_en=opt_str(path, line, row, "pref_en"),
                pref_nn=opt_str(path, line, row, "pref_nn"),
                alt=_strings(path, line, row, "alt"), forms=_strings(path, line, row, "forms"),
                source=(path, line), extra={"not_after": row.get("not_after", []), "not_before": row.get("not_before", []),
                                          "exact_case": bool(row.get("exact_case", False))})


def _each(kind: str, path: Path, table: str, pref_key: str = "pref_nb", prepare=None):
    """Each row of a mapping table with its line and the fields every entity has, slugs checked for duplicates."""
    _, rows = load_rows(path, table)
    seen: set[str] = set()
    for line, row in rows:
        row = prepare(row) if prepare else row
        yield line, row, _base(kind, path, line, row, seen, pref_key)


def orgnr_is_valid(orgnr: str) -> bool:
    """Nine digits whose last is the modulus-11 check digit of the first eight (Brønnøysundregistrene's rule)."""
    if not re.fullmatch(r"\d{9}", orgnr):
        return False
    rest = sum(int(d) * w for d, w in zip(orgnr[:8], (3, 2, 7, 6, 5, 4, 3, 2))) % 11
    check = 0 if rest == 0 else 11 - rest
    return check != 10 and check == int(orgnr[8])


def _sourced(path: Path, line: int | None, row: dict, key: str) -> str | None:
    """A curated fact that needs the address of the source it was confirmed in (the `KEY_source` column)."""
    if row.get(key) is None:
        return None
    source = row.get(f"{key}_source")
    if not is_http_url(source):
        raise InputError(path, f"{key} needs {key}_source, the address of the source it was confirmed in", line)
    return source


def load_actors(path: Path) -> list[Entity]:
    out = []
    for line, row, base in _each("actor", path, "actor"):
        kind = need_str(path, line, row, "type")
        if kind not in ACTOR_TYPES:
            raise InputError(path, f"unknown actor type {kind!r}; expected one of {', '.join(ACTOR_TYPES)}", line)
        orgnr = row.get("orgnr")
        if orgnr is not None and not orgnr_is_valid(str(orgnr)):
            raise InputError(path, f"orgnr {orgnr!r} is not an organisation number (nine digits, modulus-11 check)",
                             line)
        base["extra"].update(orgnr=orgnr, orgnr_source=_sourced(path, line, row, "orgnr"), owner=row.get("owner"),
                             owner_source=_sourced(path, line, row, "owner"))
        out.append(Entity(type=kind, broader=row.get("part_of"), **base))
    return out


def load_laws(path: Path) -> list[Entity]:
    out = []
    for line, row, base in _each("law", path, "law", pref_key="short_nb"):
        lovdata = row.get("lovdata")
        if lovdata is not None:
            m = LOVDATA.match(str(lovdata))
            if not m:
                raise InputError(path, f"malformed Lovdata identifier {lovdata!r}; expected LOV-YYYY-MM-DD-NN", line)
            y, mo, d, _ = m.groups()
            if not (1 <= int(mo) <= 12 and 1 <= int(d) <= 31):
                raise InputError(path, f"Lovdata identifier {lovdata!r} has no valid date", line)
        repealed = row.get("repealed")
        if repealed is not None and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(repealed)):
            raise InputError(path, f"repealed {repealed!r} must be a date, YYYY-MM-DD", line)
        base["extra"].update(lovdata=lovdata, title_nb=row.get("title_nb"), repealed=repealed and str(repealed),
                             repealed_source=_sourced(path, line, row, "repealed"), replaced_by=row.get("replaced_by"))
        out.append(Entity(type="Law", **base))
    return out


def _report_label(row: dict) -> dict:
    if "pref_nb" in row:
        return row
    return {**row, "pref_nb": " ".join(x for x in (row.get("number"), row.get("title_nb")) if x)}


def load_reports(path: Path) -> list[Entity]:
    out = []
    for line, row, base in _each("report", path, "report", prepare=_report_label):
        kind = need_str(path, line, row, "kind")
        if kind not in REPORT_KINDS:
            raise InputError(path, f"unknown report kind {kind!r}; expected one of {', '.join(REPORT_KINDS)}", line)
        base["extra"].update({k: row.get(k) for k in ("number", "title_nb", "committee", "note")}, kind=kind)
        out.append(Entity(type=REPORT_KINDS[kind], **base))
    return out


def load_patient_groups(path: Path) -> tuple[list[Entity], dict]:
    data, _ = load_rows(path, "concept")
    out = []
    for _line, row, base in _each("patient_group", path, "concept"):
        # A group may sit under more than one broader group ("eldre med skrøpelighet" is one of the prioritised groups
        # and a group of the elderly): `broader` is the one of the tree, `also_broader` the others (skos:broader all).
        base["extra"]["also_broader"] = [str(x) for x in row.get("also_broader", [])]
        out.append(Entity(type="PatientGroup", definition_nb=row.get("definition_nb"), broader=row.get("broader"), **base))
    return out, data.get("scheme") or {}


def load_catalogue(mappings: Path | None = None) -> Catalogue:
    mappings = mappings or mappings_dir()
    actors = load_actors(mappings / "actors.toml")
    laws = load_laws(mappings / "laws.toml")
    reports = load_reports(mappings / "reports.toml")
    groups, scheme = load_patient_groups(mappings / "patient_groups.toml")
    entities = {e.id: e for e in actors + laws + reports + groups}
    for e in entities.values():
        path, line = e.source
        if e.broader and f"{e.kind}:{e.broader}" not in entities:
            what = "part_of" if e.kind == "actor" else "broader"
            raise InputError(path, f"'{e.slug}' has {what} {e.broader!r}, which is not a {e.kind} in this file", line)
        for other in e.extra.get("also_broader", []):
            if f"{e.kind}:{other}" not in entities:
                raise InputError(path, f"'{e.slug}' has also_broader {other!r}, which is not a {e.kind} in this file", line)
        for key, kind in (("committee", "actor"), ("owner", "actor"), ("replaced_by", "law")):
            other = e.extra.get(key)
            if other and f"{kind}:{other}" not in entities:
                raise InputError(path, f"'{e.slug}' names {key} {other!r}, which is not a {kind} of the mappings", line)
    _check_cycles(entities)
    return Catalogue(entities, scheme)


def _check_cycles(entities: dict[str, Entity]) -> None:
    for e in entities.values():
        seen = {e.id}
        cur = e
        while cur.broader:
            nxt = entities[f"{cur.kind}:{cur.broader}"]
            if nxt.id in seen:
                path, line = e.source
                raise InputError(path, f"'{e.slug}' is its own ancestor through {cur.broader!r}", line)
            seen.add(nxt.id)
            cur = nxt
