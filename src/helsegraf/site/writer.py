"""Rendering one page: the HTML from its Jinja2 template, and beside it the resource as Turtle, N-Triples and
JSON-LD. Everything a template needs to link and label comes from here, relative to the page being written."""

from __future__ import annotations

import os
import posixpath
import shutil
from functools import lru_cache
from dataclasses import dataclass, field
from typing import Callable
from pathlib import Path

import pyoxigraph as ox
from jinja2 import BytecodeCache, Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup, escape

from ..paths import site_templates
from ..rdf.namespaces import PREFIXES
from . import jsonld, svg
from .i18n import BY_CODE, translations
from .links import LINKS_CACHED, Paths, last_segment, qname, relative
from .dependencies import ENGLISH, HAS, LABEL, TRIPLES
from .reuse import LATER, PageRecord, Reuse, made_recipe, recipe_digest
from .store_view import StoreView, node_key
from .vocabulary import TermLabel
from .words import antall

INCOMING_PER_PROPERTY = 50
BLANK_DEPTH = 3  # blank nodes nest at most this deep inline; deeper ones are shown by their id


class _CompiledTemplates(BytecodeCache):
    """The templates compiled once per process, whatever the number of builds or writers in it (tests and `serve`
    run many): compiling the site's templates took 0.8 s a build. Jinja checks each against its source's checksum,
    so an edited template is compiled again; every environment here is made with the same settings."""

    def __init__(self):
        self._code: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._code.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._code[bucket.key] = bucket.bytecode_to_string()


_COMPILED = _CompiledTemplates()


@dataclass
class Page:
    path: str  # relative to the site root, e.g. "id/aktor/ks.html"
    template: str
    iri: str | None = None  # the resource the page is about: its alternates are written beside the page
    ctx: dict = field(default_factory=dict)
    # Resources whose descriptions the alternates hold as well: a hash namespace's document holds its terms, since
    # a client dereferencing hg:Measure asks for the ontology and must find the term there.
    holds: tuple[str, ...] = ()
    lang: str = "nb"  # the English version of a page has the same record, with lang "en" and its path under en/
    # More of the context, made when the page is written: what would make the plan grow faster than the corpus
    # (an item's links to every other document, a pair of documents' links) is not held for every page at once.
    later: Callable[[], dict] | None = None


def _page_gettext(catalog) -> Callable[..., Markup]:
    plain: dict[str, Markup] = {}

    def gettext(message: str, **variables) -> Markup:
        if variables:
            return Markup(catalog.gettext(message)) % variables
        found = plain.get(message)
        if found is None:
            found = plain[message] = Markup(catalog.gettext(message)) % {}
        return found

    return gettext


class Writer:
    def __init__(self, out: Path, view: StoreView, paths: Paths, vocabulary: dict[str, TermLabel]):
        self.out, self.view, self.paths, self.vocabulary = out, view, paths, vocabulary
        # Links are relative to the page being written, which the writer knows: templates and the macros they
        # import then need no per-page context, so Jinja can cache the imported macros (one writer per process).
        # An imported template's macros keep the names they found when first imported, the messages' language
        # among them: hence an environment per language, each with its catalog installed once.
        self.from_dir = ""
        self.root: str | None = None
        self._catalogs = {code: translations(code) for code in BY_CODE}
        self._envs = {code: self._environment(code) for code in BY_CODE}
        self.lang = ""
        self.english: set[str] = set()  # paths (from the site's root) of the pages that have an English version
        self.use("nb")
        self._folders: set[str] = set()
        self._fragments: dict[str, list[str]] | None = None  # found when first asked for, or given (use_fragments)
        self._nb_to_en: dict[str, str] | None = None
        self.reuse: Reuse | None = None  # set to record what each page reads, and keep the unchanged pages

    def _environment(self, code: str) -> Environment:
        env = Environment(loader=FileSystemLoader(str(site_templates())), autoescape=select_autoescape(["html"]),
                          trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                          extensions=["jinja2.ext.i18n"], bytecode_cache=_COMPILED)
        env.install_gettext_translations(self._catalogs[code], newstyle=True)
        # `_("…")` as the i18n extension's new-style gettext gives it in an autoescaped template (every template
        # is .html), in one call instead of three through the template's context, and a message without
        # variables looked up once: a page called it ~30 times, 12 % of the corpus's site under cProfile
        fast = _page_gettext(self._catalogs[code])
        env.globals.update(_=fast, gettext=fast)
        env.globals.update(qname=qname, label=self.label, term_label=self.term_label, href=self.href, rel=self.rel,
                           bar_chart=svg.bar_chart, diagram=self.diagram, rel_root=self.rel_root, last_segment=last_segment,
                           language_names={c: lang.name for c, lang in BY_CODE.items()},
                           lang=code, language=BY_CODE[code], nb=Markup(' lang="nb"') if code != "nb" else "")
        env.filters.update(antall=self.antall, gl=self.graph_label, gl_list=self.graph_labels,
                           gl_pair=lambda pair: (self.graph_label(pair[0]), *pair[1:]))
        return env

    def compile_templates(self) -> None:
        """Load every template in every language now: forked workers then inherit them rather than each compile
        its own."""
        for env in self._envs.values():
            for name in env.list_templates(filter_func=lambda n: n.endswith(".html")):
                env.get_template(name)

    def set_global(self, name: str, value) -> None:
        """A value every template sees, in every language."""
        for env in self._envs.values():
            env.globals[name] = value

    # -- language -------------------------------------------------------------------------------------------------
    def use(self, code: str) -> None:
        """Write the next pages in this language: its messages, and links to pages in it."""
        self.lang, self.language, self.env = code, BY_CODE[code], self._envs[code]

    def gettext(self, message: str) -> str:
        return self._catalogs[self.lang].gettext(message)

    def antall(self, n: int, singular: str, plural: str) -> str:
        """A count with its noun, in the page's language (the Bokmål nouns are the catalog's message ids)."""
        if self.lang == "nb":
            return antall(n, singular, plural)
        return f"{n:,} {self._catalogs[self.lang].ngettext(singular, plural, n)}"

    def graph_label(self, text: str | None) -> str:
        """A Bokmål label the page data carries (an entity's, a role's, a topic's) in the page's language: the
        English label the graph gives the resource that has this Bokmål one."""
        if not text or self.lang == "nb":
            return text or ""
        return self.nb_to_en().get(text, text)

    def nb_to_en(self) -> dict[str, str]:
        """Bokmål label → English label, for every resource that has both: read from the whole graph once (so a
        page's use of it is not recorded as its own reads: site_digest hashes it instead)."""
        if self._nb_to_en is None:
            keys, self.view.recorder.keys = self.view.recorder.keys, None
            self._nb_to_en = {}
            for s, en in self.view.english_labels().items():
                self._nb_to_en.setdefault(self.view.label(s) or "", en)
            self.view.recorder.keys = keys
        return self._nb_to_en

    def has_english(self, path: str) -> bool:
        """Whether the page at `path` (from the site's root, without a language prefix) has an English version."""
        self.view.recorder.read(ENGLISH, path)
        return path in self.english

    def graph_labels(self, text: str | None, sep: str = ", ") -> str:
        return sep.join(self.graph_label(t) for t in (text or "").split(sep)) if text else ""

    def diagram(self, center: str, neighbours: list[dict], title: str) -> str:
        """The neighbourhood picture in the page's language: each neighbour is {rel, label} or, for the documents
        that mention the entity, {rel, count, label}."""
        gettext = self._catalogs[self.lang].gettext
        pairs = [(gettext(n["rel"]) + (f" ({n['count']})" if "count" in n else ""), self.graph_label(n["label"]))
                 for n in neighbours]
        return svg.neighbourhood(self.graph_label(center), pairs, title)

    def href(self, iri: str) -> str | None:
        return self._href(self.from_dir, iri)

    def _href(self, from_dir: str, iri: str) -> str | None:
        """Like Paths.href, but no link to a minted IRI the graph says nothing about: it has no page. From an
        English page, to the English version of the resource's page where there is one."""
        if self.paths.page(iri) is not None and not self.view.has(iri):
            return None
        page = (self.paths.page(iri) or self.paths.page(iri.split("#", 1)[0])) if self.lang != "nb" else None
        prefix = self.language.prefix if page and self.has_english(page) else ""
        return self.paths.href(from_dir, iri, prefix)

    def rel(self, target: str) -> str:
        """A link to a file of the site, given from its root: a page in the page's language, anything else (style
        sheet, data, dumps) as it is."""
        if self.lang != "nb" and self.has_english(target.split("#", 1)[0]):
            target = self.language.prefix + target
        # A page served at any path (the 404 page) links from the site's root instead.
        if self.root is not None:
            return self.root + target
        return relative(target, self.from_dir)

    def rel_root(self, target: str) -> str:
        """A link to a file given from the site's root, as it is (the other language's version of this page)."""
        return self.root + target if self.root is not None else relative(target, self.from_dir)

    def counterpart(self, path: str, code: str) -> str | None:
        """The page `path` (from the site's root, in the current language) in another language, from the site's
        root; None where it has no version in that language."""
        base = path[len(self.language.prefix):]
        if code == "nb":
            return base
        return BY_CODE[code].prefix + base if self.has_english(base) else None

    # -- labels ---------------------------------------------------------------------------------------------------
    def label(self, iri: str) -> str:
        known = self.vocabulary.get(iri)
        if self.lang == "en":
            found = self.view.label_en(iri) or (known.en if known else None)
            if found:
                return found
        found = self.view.label(iri)
        if found:
            return found
        return known.nb if known else qname(iri)

    def term_label(self, iri: str) -> str:
        """A property's or class's name for people: its label in the page's language, from the vocabulary file or
        the ontology."""
        known = self.vocabulary.get(iri)
        if known:
            return known.en if self.lang == "en" else known.nb
        if self.lang == "en" and (found := self.view.label_en(iri)):
            return found
        return self.view.label(iri) or qname(iri)

    # -- cells ----------------------------------------------------------------------------------------------------
    def cell(self, from_dir: str, o: ox.Term, depth: int = 0) -> Markup:
        """One value of a property: a link labelled for people with the IRI beside it, a literal with its language,
        or a blank node's own properties inline."""
        if isinstance(o, ox.NamedNode):
            return self._link(from_dir, o.value)
        if isinstance(o, ox.BlankNode):
            rows = self.view.props(node_key(o))
            if not rows or depth >= BLANK_DEPTH:
                return Markup(f'<code>_:{escape(o.value)}</code>')
            inner = "".join(f'<tr><th scope="row">{self._prop(p)}</th><td>{self.cell(from_dir, v, depth + 1)}</td></tr>'
                            for p, v in rows)
            caption = escape(self._catalogs[self.lang].gettext("Anonym node"))
            return Markup(f'<table class="blank"><caption>{caption}</caption><tbody>{inner}</tbody></table>')
        lang = Markup(f' <span class="lang">@{escape(o.language)}</span>') if o.language else ""
        return escape(o.value) + lang

    def _link(self, from_dir: str, iri: str) -> Markup:
        self._reads_link(iri)
        return self._link_in(from_dir, iri, self.lang)

    @lru_cache(maxsize=LINKS_CACHED)
    def _link_in(self, from_dir: str, iri: str, lang: str) -> Markup:
        h = self._href(from_dir, iri)
        text = escape(self.label(iri))
        if h is None:
            return Markup(f'{text} <code class="iri">{escape(iri)}</code>')
        shown = iri if h == iri else qname(iri)
        return Markup(f'<a href="{escape(h)}">{text}</a> <code class="iri">{escape(shown)}</code>')

    def _reads_link(self, iri: str) -> None:
        """What a link to `iri` reads (its label, whether it has a page and an English one), recorded here: the
        cache of links below would hide the reads from every page but the first."""
        recorder = self.view.recorder
        if recorder.keys is None:
            return
        recorder.read(LABEL, iri)
        recorder.read(HAS, iri)
        if self.lang != "nb":
            for page in (self.paths.page(iri), self.paths.page(iri.split("#", 1)[0])):
                if page:
                    recorder.read(ENGLISH, page)

    def _prop(self, p: str) -> Markup:
        self.view.recorder.read(LABEL, p)  # its label: the cache below would hide the read
        return self._prop_in(p, self.lang)

    @lru_cache(maxsize=None)
    def _prop_in(self, p: str, lang: str) -> Markup:
        return Markup(f'{escape(self.term_label(p))} <span class="qname" title="{escape(p)}">{escape(qname(p))}</span>')

    def props(self, from_dir: str, iri: str) -> list[tuple]:
        """(property, value, the named graphs the triple comes from) for each of the resource's triples, then those
        of its fragments (IRI#name), each fragment's first row carrying the anchor the fragment's links point to."""
        rows: list[tuple] = [(self._prop(t.predicate.value), self.cell(from_dir, t.object),
                              self._graphs(from_dir, self.view.graphs(iri, t))) for t in self.view.of(iri)]
        for part in self.fragments(iri):
            name = part.split("#", 1)[1]
            for n, t in enumerate(self.view.of(part)):
                label = Markup('<span class="fragment">#{}</span> ').format(name) + self._prop(t.predicate.value)
                rows.append((label, self.cell(from_dir, t.object), self._graphs(from_dir, self.view.graphs(part, t)))
                            + ((name,) if n == 0 else ()))
        return rows

    def fragments(self, iri: str) -> list[str]:
        """The resource's fragments that the graph describes (IRI#term-nb, IRI#orgnr), in order."""
        self.view.recorder.read(TRIPLES, iri)  # a fragment's change counts as its resource's too (reuse.py)
        return self.all_fragments().get(iri, [])

    def all_fragments(self) -> dict[str, list[str]]:
        """Resource → its fragments, for every resource that has some."""
        if self._fragments is None:
            self._fragments = self._find_fragments()
        return self._fragments

    def use_fragments(self, found: dict[str, list[str]]) -> None:
        """Take the fragments a build found (all_fragments) instead of finding them in the whole graph."""
        self._fragments = found

    def _find_fragments(self) -> dict[str, list[str]]:
        found: dict[str, list[str]] = {}
        hg = PREFIXES["hg"]  # the ontology's terms have pages of their own
        for s in self.view.subjects():
            if "#" in s and s.startswith(self.paths.iris.base) and not s.startswith(hg):
                found.setdefault(s.split("#", 1)[0], []).append(s)
        return found

    def _graphs(self, from_dir: str, graphs: tuple[str, ...]) -> Markup:
        for g in graphs:
            self._reads_link(g)
        return self._graphs_in(from_dir, graphs, self.lang)

    @lru_cache(maxsize=None)
    def _graphs_in(self, from_dir: str, graphs: tuple[str, ...], lang: str) -> Markup:
        out = []
        for g in graphs:
            name = g.rsplit("/", 1)[-1] or self._catalogs[lang].gettext("standardgrafen")
            known = bool(self.view.label(g) or self.view.label_en(g))
            title, h = self.label(g) if known else g, self._href(from_dir, g)
            tag = f'a href="{escape(h)}"' if h and not h.startswith(("http://", "https://")) else "span"
            out.append(Markup(f'<{tag} class="graph" title="{escape(title)}">{escape(name)}</{tag.split()[0]}>'))
        return Markup(", ").join(out)

    def incoming(self, iri: str) -> tuple[list[tuple[str, list[str], int]], int]:
        """Links to the resource grouped by property: (property, first subjects, how many), and the total."""
        grouped = self.view.incoming(iri, INCOMING_PER_PROPERTY)
        return grouped, sum(n for _, _, n in grouped)

    # -- writing --------------------------------------------------------------------------------------------------
    def render(self, page: Page) -> dict[str, bytes]:
        """The page's files, by suffix: its HTML and, beside a Bokmål page about a resource, the resource as Turtle,
        N-Triples and JSON-LD (the data files are written once, beside the Bokmål page; an English page links to
        them there). What `write` writes, and what `serve` answers for a page it makes on request
        (serving/page_maker.py)."""
        self.use(page.lang)
        from_dir = posixpath.dirname(page.path)
        stem = posixpath.basename(page.path)[:-5]
        data_dir = posixpath.dirname(page.path[len(self.language.prefix):])
        self.from_dir = from_dir
        self.root = page.ctx.get("root")
        ctx = dict(page.ctx)
        if page.later is not None:
            ctx.update(page.later())
        ctx.update(page=page.path, alternates=[], jsonld=None, template=page.template,
                   versions=[(code, self.counterpart(page.path, code)) for code in BY_CODE])
        if page.iri:
            triples = self.view.description(page.iri)
            holds = list(dict.fromkeys([*page.holds, *self.fragments(page.iri)]))
            for other in holds:
                triples = triples + self.view.description(other)
            doc = jsonld.documents([page.iri, *holds], triples)
            # "<" as a JSON escape: no source text can open or close an element inside the script.
            data = relative(posixpath.join(data_dir, stem), from_dir)
            ctx.update(iri=page.iri, alternates=[(f"{data}.ttl", "text/turtle"), (f"{data}.nt", "application/n-triples"),
                                                 (f"{data}.jsonld", "application/ld+json")],
                       jsonld=jsonld.dumps(doc).replace("<", "\\u003c"), ttl=f"{data}.ttl",
                       props=self.props(from_dir, page.iri))
            ctx["incoming"], ctx["incoming_total"] = self.incoming(page.iri)
        files = {".html": self.env.get_template(page.template).render(ctx).encode("utf-8")}
        if page.iri and page.lang == "nb":
            files[".ttl"] = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)
            files[".nt"] = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
            doc["@context"] = relative("context.jsonld", from_dir)
            files[".jsonld"] = jsonld.dumps(doc).encode("utf-8")
        return files

    def write(self, page: Page) -> PageRecord | None:
        """Write the page's files; with `reuse` set, keep them from the previous build instead where the page
        would come out the same (reuse.py), and return what the next build needs to tell."""
        if self.reuse is None:
            self._write_files(page.path, self.render(page))
            return None
        # what `later` makes is left out of the recipe: it records what it reads (dependencies.PLAN), so a page
        # kept is not made again
        recipe = recipe_digest(page, None if page.later is None else LATER)
        return self._keep_or_render(page.path, recipe, lambda: self.render(page))

    def write_made(self, made, key: str) -> PageRecord:
        """Write the page `made.make(key)` would give (made: a pages.LazyPages whose making is recorded), with
        reuse set: kept by its key and what making and rendering it read, without making it."""
        path = made.path(key)
        return self._keep_or_render(path, made_recipe(made.template, path, key), lambda: self.render(made.make(key)))

    def _keep_or_render(self, path: str, recipe: bytes, render) -> PageRecord:
        kept = self.reuse.kept(path, recipe)
        if kept is not None and self._link_files(path, kept.suffixes):
            return PageRecord(path, recipe, kept.suffixes, kept.reads, kept=True)
        self.view.recorder.start()
        try:
            files = render()
        finally:
            reads = self.view.recorder.stop()
        self._write_files(path, files)
        return PageRecord(path, recipe, tuple(files), reads)

    def _stem(self, path: str) -> str:
        from_dir, stem = posixpath.split(path)
        folder = os.path.join(self.out, from_dir)
        if folder not in self._folders:
            os.makedirs(folder, exist_ok=True)
            self._folders.add(folder)
        return os.path.join(folder, stem[:-5])

    def _write_files(self, path: str, files: dict[str, bytes]) -> None:
        stem_path = self._stem(path)
        for suffix, data in files.items():
            _write(stem_path + suffix, data)

    def _link_files(self, path: str, suffixes: tuple[str, ...]) -> bool:
        """The previous build's files of the page, linked rather than copied: the same bytes, and neither build's
        files are ever written to again (a page written anew is a new file). False, with nothing left, where one
        is missing from the previous build (deleted by hand): the page is then rendered."""
        stem_path, old = self._stem(path), os.path.join(self.reuse.previous_site, path[:-5])
        done: list[str] = []
        for suffix in suffixes:
            src, dst = old + suffix, stem_path + suffix
            try:
                os.link(src, dst)
            except FileNotFoundError:
                for made in done:
                    os.unlink(made)
                return False
            except OSError:  # another file system, or one without hard links
                shutil.copyfile(src, dst)
            done.append(dst)
        return True


def _write(path: str, data: bytes) -> None:
    # os-level: tens of thousands of small files, where buffered text files cost more than the writing itself
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view):]
    finally:
        os.close(fd)
