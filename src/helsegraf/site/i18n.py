"""The site's languages: Bokmål, the language of the templates and of the documents, and English.

The templates are written in Bokmål and mark what a reader sees with `_()` (and counts with the `antall` filter);
site/locale/en.po, a gettext catalog read with Babel, holds the English. The English pages live under en/ and name
things by the graph's @en labels where it has them; the documents' own words stay in Bokmål, marked lang="nb"."""

from __future__ import annotations

import gettext
import io
from dataclasses import dataclass
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from ..errors import InputError
from ..paths import site_locale


@dataclass(frozen=True)
class Language:
    code: str  # BCP 47, the html element's lang
    prefix: str  # where its pages live, from the site's root
    name: str  # its name in itself, for the language switch
    locale: str  # Open Graph's og:locale


LANGUAGES = (Language("nb", "", "Norsk (bokmål)", "nb_NO"), Language("en", "en/", "English", "en_GB"))
BY_CODE = {lang.code: lang for lang in LANGUAGES}
# Pages with no English version: a page per mention and per source span, and whole source texts, are Bokmål data
# a reader reaches from the English pages; the not-found page is bilingual already.
NO_TRANSLATION = frozenset({"resource.html", "source_text.html", "404.html"})


def translations(code: str, folder: Path | None = None) -> gettext.NullTranslations:
    """The catalog for a language; Bokmål is the templates' own text. An untranslated or fuzzy message, or a
    catalog that does not parse, is an error naming the file and line."""
    if code == "nb":
        return gettext.NullTranslations()
    path = (folder or site_locale()) / f"{code}.po"
    try:
        with path.open("rb") as f:
            catalog = read_po(f, locale=code, abort_invalid=True)
    except FileNotFoundError:
        raise InputError(path, "no translations for this language") from None
    except Exception as e:  # Babel's PoFileError carries the line in its message
        raise InputError(path, f"not a valid gettext catalog: {e}") from None
    missing = [m for m in catalog if m.id and (m.fuzzy or not (m.string if isinstance(m.string, str) else all(m.string)))]
    if missing:
        m = missing[0]
        raise InputError(path, f"{len(missing)} messages untranslated or fuzzy, the first: {m.id!r}", m.lineno)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def code_messages() -> set[str]:
    """The Bokmål words the code hands the templates to translate (headings, kinds, relations): the catalog needs
    them as much as the templates' own."""
    from . import data, measure_table, search_entries

    found = {"Anonym node", "standardgrafen", "Uten kapittel", "nevnt i", "Del"}
    found |= {w for _, _, heading, noun in data.ENTITY_KINDS for w in (heading, noun.capitalize())}
    found |= {heading for _, heading in data.RELATIONS}
    found |= {label for _, label in data.NEIGHBOUR_RELATIONS}
    found |= {kind for _, kind in data.PART_KINDS}
    found |= {name for _, name in search_entries.TYPES}
    found |= {heading for _, heading in measure_table.ENTITY_COLUMNS.values()} | {"Dokument", "Kapittel", "Tema", "Virkemiddel"}
    found |= {"klasse", "objektegenskap", "dataegenskap", "individ"}
    return found


def template_messages(folder: Path | None = None) -> tuple[set[str], set[tuple[str, str]]]:
    """What the templates give to translate: the messages of `_()`, and the (singular, plural) pairs of the
    `antall` filter."""
    import re

    from jinja2 import Environment

    from ..paths import site_templates

    env = Environment(extensions=["jinja2.ext.i18n"])
    single: set[str] = set()
    plural: set[tuple[str, str]] = set()
    for path in sorted((folder or site_templates()).glob("*.html")):
        source = path.read_text(encoding="utf-8")
        for _, _, message in env.extract_translations(source):
            # Babel style: a tuple with None for each argument that is not a string (the n of ngettext, keywords)
            given = [message] if isinstance(message, str) else [m for m in message or () if isinstance(m, str)]
            if len(given) == 1:
                single.add(given[0])
            elif len(given) == 2:  # ngettext(singular, plural, n)
                plural.add((given[0], given[1]))
            # _(variable): a message the code hands over, listed in code_messages
        for s, p in re.findall(r'antall\("([^"]+)",\s*"([^"]+)"\)', source):
            plural.add((s, p))
    return single, plural
