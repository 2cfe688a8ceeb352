"""The deployment: where a build is published (base IRI, endpoint, site) and who answers for it (publisher, contact,
licence). Read from a TOML file (the project's deploy/deployment.toml, else the shipped one), then overridden value
by value by command-line options and environment variables, so that every published file says the same."""

from __future__ import annotations

import ipaddress
import urllib.parse
from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import InputError
from .tomlrows import is_http_url, load_document

KEYS = {"base_iri", "endpoint_url", "site_url", "licence", "licence_name", "licence_page", "publisher", "contact"}
PUBLISHER_KEYS = {"slug", "name_nb", "name_en", "orgnr", "homepage"}
CONTACT_KEYS = {"name", "email", "url"}


@dataclass(frozen=True)
class Publisher:
    slug: str
    name_nb: str
    name_en: str
    orgnr: str = ""
    homepage: str = ""


@dataclass(frozen=True)
class Contact:
    name: str
    email: str = ""
    url: str = ""


@dataclass(frozen=True)
class Deployment:
    base_iri: str
    endpoint_url: str
    site_url: str
    licence: str
    publisher: Publisher
    contact: Contact
    licence_name: str = ""
    licence_page: str = ""
    path: Path | None = field(default=None, compare=False)

    def with_overrides(self, **values: str | None) -> "Deployment":
        """The same deployment with the given values (None: keep the file's), checked again."""
        given = {k: v for k, v in values.items() if v is not None}
        unknown = set(given) - {"base_iri", "endpoint_url", "site_url", "licence"}
        if unknown:
            raise ValueError(f"not a deployment value: {sorted(unknown)}")
        d = replace(self, **given)
        d.check()
        return d

    @property
    def contact_url(self) -> str:
        """Where a reader reaches the publisher: the contact page, else the site itself."""
        return self.contact.url or self.site_url

    @property
    def homepage(self) -> str:
        return self.publisher.homepage or self.site_url

    def loopback(self) -> list[str]:
        """The published addresses that only this machine can reach."""
        return [f"{name} = {url}" for name, url in (("endpoint_url", self.endpoint_url), ("site_url", self.site_url),
                                                   ("base_iri", self.base_iri)) if is_loopback(url)]

    def public_problems(self) -> list[str]:
        """What keeps this deployment from being published: loopback addresses and no way to reach its publisher."""
        problems = [f"{item} is a loopback address" for item in self.loopback()]
        if not (self.contact.email or self.contact.url):
            problems.append("[contact] has neither email nor url")
        return problems

    def check(self) -> None:
        where = self.path or Path("deployment")
        for name in ("base_iri", "endpoint_url", "site_url", "licence"):
            url = getattr(self, name)
            if not is_http_url(url) or not urllib.parse.urlsplit(url).netloc:
                raise InputError(where, f"{name} must be an absolute http(s) URL, not {url!r}")
        for name in ("base_iri", "site_url"):
            if not getattr(self, name).endswith("/"):
                raise InputError(where, f"{name} must end with '/': {getattr(self, name)!r}")
        if self.contact.email and ("@" not in self.contact.email or self.contact.email.startswith("mailto:")):
            raise InputError(where, f"[contact] email must be a plain address, not {self.contact.email!r}")
        if self.publisher.orgnr and not (len(self.publisher.orgnr) == 9 and self.publisher.orgnr.isdigit()):
            raise InputError(where, f"[publisher] orgnr must be nine digits, not {self.publisher.orgnr!r}")


def is_loopback(url: str) -> bool:
    host = urllib.parse.urlsplit(url).hostname or ""
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _line_of(text: str, key: str) -> int | None:
    for n, line in enumerate(text.splitlines(), 1):
        if line.split("=", 1)[0].strip() == key or line.strip() == f"[{key}]":
            return n
    return None


def load_deployment(path: Path) -> Deployment:
    """The deployment a file describes; a missing or malformed file, or a value of the wrong kind, is an InputError
    naming the file and line."""
    raw, text = load_document(path)
    for keys, table, name in ((KEYS, raw, None), (PUBLISHER_KEYS, raw.get("publisher", {}), "publisher"),
                              (CONTACT_KEYS, raw.get("contact", {}), "contact")):
        if not isinstance(table, dict):
            raise InputError(path, f"[{name}] must be a table", _line_of(text, name))
        for key in sorted(set(table) - keys):
            where = f"[{name}] " if name else ""
            raise InputError(path, f"unknown key {where}{key!r} (known: {', '.join(sorted(keys))})", _line_of(text, key))
        for key, value in table.items():
            if not isinstance(value, dict if name is None and key in ("publisher", "contact") else str):
                what = "a table" if name is None and key in ("publisher", "contact") else "a string"
                raise InputError(path, f"{key} must be {what}", _line_of(text, key))
    missing = [k for k in ("base_iri", "endpoint_url", "site_url", "licence", "publisher", "contact") if k not in raw]
    missing += [f"publisher.{k}" for k in ("slug", "name_nb", "name_en") if k not in raw.get("publisher", {})]
    missing += [f"contact.{k}" for k in ("name",) if k not in raw.get("contact", {})]
    if missing:
        raise InputError(path, f"missing: {', '.join(missing)}")
    d = Deployment(raw["base_iri"], raw["endpoint_url"], raw["site_url"], raw["licence"],
                   Publisher(**raw["publisher"]), Contact(**raw["contact"]), raw.get("licence_name", ""),
                   raw.get("licence_page", ""), path)
    d.check()
    return d
