"""A real aiohttp server on 127.0.0.1 serving the corpus and misbehaving pages."""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from aiohttp import web

from tests.index._corpus import HTML_PAGES

NAV_ONLY_PAGE = (
    "<!doctype html><html><head><title>Sections</title></head><body><nav><ul>"
    + "".join(f'<li><a href="/section/{n}">Section {n}</a></li>' for n in range(25))
    + "</ul></nav><footer><a href='/privacy'>Privacy</a> | <a href='/terms'>Terms</a></footer></body></html>"
)
# Big enough to trip a small cap, HTML so only the size can refuse it.
BIG_BODY = b"<html><body><p>" + b"word " * 4000 + b"</p></body></html>"


@dataclass(frozen=True)
class LocalSite:
    """Where the test server listens; `url(path)` builds an address on it."""

    host: str
    port: int

    def url(self, path: str, host: str | None = None) -> str:
        return f"http://{host or self.host}:{self.port}{path}"


def build_app() -> web.Application:
    """Routes: corpus pages, redirects, slow, oversized, non-HTML, nav-only, echo."""
    pages = {page.stem: page.read_bytes() for page in HTML_PAGES}

    async def article(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in pages:
            raise web.HTTPNotFound()
        return web.Response(body=pages[name], content_type="text/html", charset="utf-8")

    async def redirect(request: web.Request) -> web.Response:
        raise web.HTTPFound(request.query["to"])

    async def hops(request: web.Request) -> web.Response:
        left = int(request.match_info["left"])
        if left == 0:
            return web.Response(body=pages[HTML_PAGES[-1].stem], content_type="text/html")
        raise web.HTTPFound(f"/hops/{left - 1}")

    async def loop(request: web.Request) -> web.Response:
        other = "b" if request.match_info["side"] == "a" else "a"
        raise web.HTTPMovedPermanently(f"/loop/{other}")

    async def slow_headers(request: web.Request) -> web.Response:
        await asyncio.sleep(3)
        return web.Response(text="<html><body><p>late</p></body></html>", content_type="text/html")

    async def slow_body(request: web.Request) -> web.StreamResponse:
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        await response.prepare(request)
        for _ in range(30):
            await response.write(b"<p>drip</p>")
            await asyncio.sleep(0.1)
        return response

    async def slow_hops(request: web.Request) -> web.Response:
        # Each hop is quick enough alone; only a deadline for the whole chain stops it.
        left = int(request.match_info["left"])
        await asyncio.sleep(0.3)
        if left == 0:
            return web.Response(text="<html><body><p>late</p></body></html>", content_type="text/html")
        raise web.HTTPFound(f"/slow/hops/{left - 1}")

    async def big_declared(request: web.Request) -> web.StreamResponse:
        # Declares a huge body, then stalls: only the Content-Length check refuses it in time.
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        response.content_length = 50_000_000
        await response.prepare(request)
        await response.write(b"<html><body>")
        await asyncio.sleep(5)
        return response

    async def big(request: web.Request) -> web.Response:
        return web.Response(body=BIG_BODY, content_type="text/html")

    async def big_chunked(request: web.Request) -> web.StreamResponse:
        # No Content-Length: only counting while streaming can catch this one.
        response = web.StreamResponse(headers={"Content-Type": "text/html"})
        response.enable_chunked_encoding()
        await response.prepare(request)
        for start in range(0, len(BIG_BODY), 1000):
            await response.write(BIG_BODY[start:start + 1000])
        await response.write_eof()
        return response

    async def typed(request: web.Request) -> web.Response:
        kind = request.match_info["kind"]
        bodies = {
            "json": (b'{"text": "not a page"}', "application/json"),
            "pdf": (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "application/pdf"),
            "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
        }
        body, content_type = bodies[kind]
        return web.Response(body=body, content_type=content_type)

    async def nav_only(request: web.Request) -> web.Response:
        return web.Response(text=NAV_ONLY_PAGE, content_type="text/html")

    async def user_agent(request: web.Request) -> web.Response:
        # Echo the User-Agent inside an article-sized page.
        agent = request.headers.get("User-Agent", "")
        sentence = f"The visiting agent called itself {agent} when it asked for this page today. "
        return web.Response(text=f"<html><body><article><p>{sentence * 6}</p></article></body></html>",
                            content_type="text/html")

    app = web.Application()
    app.add_routes(
        [
            web.get("/article/{name}", article),
            web.get("/redirect", redirect),
            web.get("/hops/{left}", hops),
            web.get("/loop/{side}", loop),
            web.get("/slow/headers", slow_headers),
            web.get("/slow/body", slow_body),
            web.get("/slow/hops/{left}", slow_hops),
            web.get("/big", big),
            web.get("/big/declared", big_declared),
            web.get("/big/chunked", big_chunked),
            web.get("/typed/{kind}", typed),
            web.get("/nav", nav_only),
            web.get("/agent", user_agent),
        ]
    )
    return app


@contextlib.asynccontextmanager
async def running_site() -> AsyncIterator[LocalSite]:
    """Start the app on a free port of 127.0.0.1; stop it afterwards."""
    runner = web.AppRunner(build_app(), shutdown_timeout=0.5)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield LocalSite("127.0.0.1", port)
    finally:
        await runner.cleanup()
