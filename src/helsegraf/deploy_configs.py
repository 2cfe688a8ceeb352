"""The web server configurations of a deployment: nginx and Apache serving the site with helsegraf's content
negotiation, and the w3id.org redirect rules, rendered from the templates in deploy/ with the deployment's
addresses and the build's own paths, and written into build/deploy/."""

from __future__ import annotations

import sys
import urllib.parse
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from . import serialize
from .deployment import Deployment
from .paths import shipped
from .rdf.iris import PUBLISHED
from .serving.conneg import ALIASES

# the templates in deploy/, each written into build/deploy/ under its own name
FILES = ("nginx.conf", "conneg.js", "apache.conf", "w3id.htaccess")
# Where `helsegraf serve` runs the site by default (--site-port): what makes the pages a build left to it.
PAGES_UPSTREAM = "http://127.0.0.1:8000"


def render(deploy: Deployment, site_root: Path, deploy_dir: Path, listen: str | None = None,
           pages_upstream: str | None = None) -> dict[str, bytes]:
    """Each configuration's text. `site_root` and `deploy_dir` are where the built site and these files will be;
    `listen` is the address the web server listens on (default: the site URL's port); `pages_upstream`, for a build
    that left its generic pages to `serve`, is where `serve`'s site runs: what no file answers is proxied there."""
    url = urllib.parse.urlsplit(deploy.site_url)
    port = url.port or (443 if url.scheme == "https" else 80)
    values = dict(site_url=deploy.site_url, site_root=str(site_root), deploy_dir=str(deploy_dir),
                  server_name=url.hostname, listen=listen or str(port),
                  python=sys.executable, aliases=sorted(ALIASES.items()), published="|".join(PUBLISHED),
                  pages_upstream=pages_upstream or "")
    env = Environment(loader=FileSystemLoader(str(shipped("deploy"))), undefined=StrictUndefined, trim_blocks=True,
                      keep_trailing_newline=True, autoescape=False)
    return {name: env.get_template(name).render(values).encode("utf-8") for name in FILES}


def write(deploy: Deployment, out_dir: Path, final_site: Path, final_deploy: Path, served: bool = False) -> None:
    for name, data in render(deploy, final_site, final_deploy, pages_upstream=PAGES_UPSTREAM if served else None).items():
        serialize.write(out_dir / name, data)
