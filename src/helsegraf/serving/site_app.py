"""The static site as an ASGI application (Starlette's StaticFiles, served by granian in its own process).

Beside the files: content negotiation for the minted IRIs (/id/x answers x.html, x.ttl, x.jsonld or x.nt by
Accept, q-values honoured, 406 when none is acceptable: conneg.py), security headers with a Content-Security-Policy that allows no inline script, gzip,
and no directory listings. Files are looked up per request, so a new build swapped into place is served at once.
A build that left its generic pages to `serve` has them made here when asked for (page_maker.py), one at a time
on a thread of their own, so the files are served meanwhile.
"""

from __future__ import annotations

import asyncio
import gzip
import hashlib
import json
import logging
import os
import urllib.parse
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from starlette.exceptions import HTTPException
from starlette.middleware.gzip import GZipMiddleware
from starlette.staticfiles import StaticFiles

from ..rdf.iris import PUBLISHED
from .conneg import ALIASES, SUFFIXES, VARIANTS, choose
from ..site.generic_pages import SERVED
from .page_maker import PageMaker

log = logging.getLogger("helsegraf.serve")

NEGOTIATED_PATHS = tuple(f"/{first}" for first in PUBLISHED)
MEDIA_TYPES = {".ttl": "text/turtle; charset=utf-8", ".nt": "application/n-triples", ".nq": "application/n-quads",
               ".jsonld": "application/ld+json", ".html": "text/html; charset=utf-8", ".gz": "application/gzip",
               ".rq": "application/sparql-query", ".js": "text/javascript; charset=utf-8",
               ".css": "text/css; charset=utf-8", ".svg": "image/svg+xml", ".wasm": "application/wasm",
               ".json": "application/json", ".xml": "application/xml", ".txt": "text/plain; charset=utf-8",
               ".csv": "text/csv; charset=utf-8"}


def policy(endpoint_url: str) -> bytes:
    """The Content-Security-Policy: the site's own files, and the endpoint the query page talks to."""
    parts = urllib.parse.urlsplit(endpoint_url)
    endpoint = f"{parts.scheme}://{parts.netloc}" if parts.scheme in ("http", "https") and parts.netloc else ""
    return ("default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; "
            f"connect-src 'self' {endpoint}; form-action 'self' {endpoint}; frame-ancestors 'self'; "
            "base-uri 'self'; object-src 'none'").replace("  ", " ").encode()


class _Files(StaticFiles):
    def file_response(self, full_path, stat_result, scope, status_code=200):
        response = super().file_response(full_path, stat_result, scope, status_code)
        media = MEDIA_TYPES.get(os.path.splitext(str(full_path))[1])
        if media:
            response.headers["content-type"] = media
        return response


class SiteApp:
    def __init__(self, site: Path, endpoint_url: str):
        self.site = site
        # The endpoint this `serve` runs (or the public one it was given) replaces the build's endpoint.json, so that
        # the query page works on whatever port it is served.
        self.endpoint_json = json.dumps({"endpoint": endpoint_url}).encode() + b"\n" if endpoint_url else None
        self.files = GZipMiddleware(_Files(directory=str(site), html=True, check_dir=False), minimum_size=1024)
        self.headers = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"strict-origin-when-cross-origin"),
                        (b"content-security-policy", policy(endpoint_url)), (b"access-control-allow-origin", b"*"),
                        (b"vary", b"Accept, Accept-Encoding")]
        self._maker: tuple[int, PageMaker] | None = None  # for the build whose served/ folder has this inode
        self._making = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pages")  # the maker is not thread-safe

    def maker(self) -> PageMaker | None:
        """The page maker of the build being served, if it left its generic pages to `serve`: made anew when a
        new build has been swapped into place."""
        out = self.site.parent
        try:
            inode = os.stat(out / SERVED).st_ino
        except OSError:
            return None
        if self._maker is None or self._maker[0] != inode:
            self._maker = (inode, PageMaker(out))
        return self._maker[1]

    @classmethod
    def from_env(cls, env=os.environ) -> "SiteApp":
        return cls(Path(env["HELSEGRAF_SERVE_SITE"]), env.get("HELSEGRAF_SERVE_ENDPOINT_URL", ""))

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "lifespan":
            while True:
                msg = await receive()
                kind = msg["type"].rsplit(".", 1)[-1]
                await send({"type": f"{msg['type']}.complete"})
                if kind == "shutdown":
                    return
        if scope["type"] != "http":
            return
        if scope["method"] not in ("GET", "HEAD"):
            await self._plain(send, 405, b"The site is read-only: use GET or HEAD.\n", [(b"allow", b"GET, HEAD")])
            return
        path = scope["path"]
        if path == "/endpoint.json" and self.endpoint_json:
            await self._plain(send, 200, self.endpoint_json, [(b"cache-control", b"no-cache")], b"application/json")
            return
        alias = ALIASES.get(path.strip("/")) if path.strip("/") in ALIASES else None
        # A path ending in "/" is a directory, never a resource (its page's relative links would break); a path
        # that is a file is served as it is ("boks-3.1" has a dot but no suffix: no test of the name would do).
        if alias or (path.startswith(NEGOTIATED_PATHS) and not path.endswith("/") and ".." not in path
                     and not os.path.isfile(self.site / path.lstrip("/"))):
            accept = dict(scope["headers"]).get(b"accept", b"").decode("latin-1")
            stem = str(self.site / (alias or path.lstrip("/")))
            found = choose(stem, accept)
            if found == "406":
                await self._not_acceptable(send, accept)
                return
            if found is not None:
                candidate = "/" + os.path.relpath(found, self.site)
                scope = {**scope, "path": candidate, "raw_path": candidate.encode()}
            elif not alias and await self._made(scope, send, accept):
                return

        if b"gzip" in dict(scope["headers"]).get(b"accept-encoding", b""):
            # Granian sends files itself when the app asks (pathsend); then nothing could compress them.
            scope = {**scope, "extensions": {k: v for k, v in scope.get("extensions", {}).items()
                                             if k != "http.response.pathsend"}}

        async def with_headers(message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [*message.get("headers", []), *self.headers]}
            await send(message)

        try:
            await self.files(scope, receive, with_headers)
        except HTTPException as e:  # StaticFiles raises for what it cannot serve; a Starlette app would catch it
            page = self.site / "404.html"
            if e.status_code == 404 and page.is_file():
                await self._plain(send, 404, page.read_bytes(), [], b"text/html; charset=utf-8")
            else:
                await self._plain(send, e.status_code, f"{e.detail}\n".encode(), [])

    async def _made(self, scope, send, accept: str) -> bool:
        """Answer with a page made on request, if the build left it to `serve` (the path names it: /id/x by
        Accept, /id/x.html and the others by name); False when there is no such page."""
        path = scope["path"].lstrip("/")
        suffix = next((s for s in SUFFIXES if path.endswith(s)), None)
        stem = path[:-len(suffix)] if suffix else path
        loop = asyncio.get_running_loop()
        try:
            maker = await loop.run_in_executor(self._making, self.maker)
            files = maker and await loop.run_in_executor(self._making, maker.files, stem)
        except Exception:  # a store that cannot be read, say: this request fails, the server goes on
            log.exception("making the page %s failed", path)
            await self._plain(send, 500, b"This page could not be made.\n", [])
            return True
        if not files:
            return False
        if suffix is None:
            found = choose("", accept, exists=lambda s: s in files)
            if found == "406":
                await self._not_acceptable(send, accept)
                return True
            suffix = found
        if suffix not in files:
            return False
        body = files[suffix]
        # A validator as the files have (StaticFiles'), so that a harvester's conditional request costs no body;
        # weak (RFC 9110, 8.8.1), since the same tag goes with the body gzipped or not; If-None-Match compares weakly.
        tag = f'"{hashlib.sha256(body).hexdigest()[:32]}"'.encode()
        etag = b"W/" + tag
        headers = dict(scope["headers"])
        asked = [t.strip().removeprefix(b"W/") for t in headers.get(b"if-none-match", b"").split(b",")]
        if tag in asked or b"*" in asked:
            await send({"type": "http.response.start", "status": 304, "headers": [*self.headers, (b"etag", etag)]})
            await send({"type": "http.response.body", "body": b""})
            return True
        extra = [(b"etag", etag)]
        if len(body) >= 1024 and b"gzip" in headers.get(b"accept-encoding", b""):
            # level 5, as the page cache's (cache.py): gzip's default 9 costs three times the CPU for 5 % less
            body, extra = gzip.compress(body, compresslevel=5, mtime=0), [*extra, (b"content-encoding", b"gzip")]
        await self._plain(send, 200, body, extra, MEDIA_TYPES[suffix].encode(), head=scope["method"] == "HEAD")
        return True

    async def _not_acceptable(self, send, accept: str) -> None:
        offered = ", ".join(t for _, types in VARIANTS for t in types)
        await self._plain(send, 406, f"Not acceptable: {accept}\nThis resource is offered as {offered}.\n".encode(), [])

    async def _plain(self, send, status: int, body: bytes, extra: list,
                     ctype: bytes = b"text/plain; charset=utf-8", head: bool = False) -> None:
        await send({"type": "http.response.start", "status": status,
                    "headers": [*self.headers, (b"content-type", ctype),
                                (b"content-length", str(len(body)).encode()), *extra]})
        await send({"type": "http.response.body", "body": b"" if head else body})


def create() -> SiteApp:
    """The factory granian calls (`--factory helsegraf.serving.site_app:create`)."""
    return SiteApp.from_env()
