"""A real aiohttp server on 127.0.0.1 serving feeds (RSS 2.0, RSS 1.0, Atom, a Google News
sitemap) and the pages they link to, with ETag/Last-Modified, a broken feed, a slow one and
redirects; a test changes what it serves through `FeedSite`."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from email.utils import formatdate

from aiohttp import web

from tests.index._http_server import LocalSite

PAGES = {
    "strike": ("Port workers end three-week strike",
               "Dockworkers in Valparaíso voted on Friday to end a three-week strike that had halted the port. "
               "“We will not accept a contract that cuts our pensions,” said Ana Rojas, the union leader. "
               "The port authority said 1,200 containers were waiting to be unloaded at the terminal."),
    "harbour": ("Harbour to reopen on Monday",
                "The harbour master said the port would reopen on Monday morning after the long dispute. "
                "“Ships will be unloaded around the clock,” said Carlos Mena, the harbour master. "
                "Shipping lines had diverted cargo to San Antonio during the strike."),
    "fishing": ("Fishing fleet returns to Talcahuano",
                "The fishing fleet returned to Talcahuano on Sunday with the largest catch of the season. "
                "“The sea was generous this year,” said Marta Vidal, who captains one of the trawlers. "
                "Prices at the market fell by a fifth within hours."),
    "budget": ("City council passes budget",
               "The city council of Valparaíso passed its budget on Tuesday by nine votes to two. "
               "“This budget repairs the funicular railways at last,” said Mayor Camila Nieto. "
               "The opposition said the plan left too little for schools."),
}


@dataclass
class FeedSite:
    """The server's state: pages a test may rewrite, and a count of requests by path."""

    local: LocalSite
    pages: dict[str, tuple[str, str]] = field(default_factory=lambda: dict(PAGES))
    # The RSS feed's version: part of its ETag, and of the strike entry's update date.
    version: int = 1
    requests: Counter = field(default_factory=Counter)
    hold: asyncio.Event = field(default_factory=asyncio.Event)

    def url(self, path: str, host: str | None = None) -> str:
        return self.local.url(path, host)


# Every page carries these paragraphs too: an article long enough to be read as one.
FILLER = ("The port handles most of the country's container traffic and employs thousands of people in the city. "
          "Its cranes and warehouses stretch along the bay below the hills of the old town.",
          "Officials expect traffic to take several weeks to return to its usual level this season. "
          "Exporters of fruit and copper said they had lost money during the weeks of delay.")


def page_html(title: str, body: str) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in (body, *FILLER))
    return (f"<!doctype html><html><head><title>{title}</title><meta property='og:site_name' content='Harbour Times'>"
            f"</head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>")


def rss(site: FeedSite) -> str:
    items = "".join(
        f"<item><title>{site.pages[name][0]}</title><link>{site.url('/page/' + name)}</link><guid>{name}</guid>"
        f"<pubDate>{date}</pubDate><description>{site.pages[name][0]}.</description></item>"
        for name, date in (("strike", f"Fri, 0{site.version} Mar 2024 10:00:00 GMT"),
                           ("harbour", "Sat, 02 Mar 2024 09:00:00 GMT")))
    # An entry with no link: its own text is the article.
    items += ("<item><title>Ferry timetable changes</title><guid>ferry-notice</guid>"
              "<description>&lt;p&gt;The ferry to Juan Fernández will sail on Thursdays from April. "
              "“Passengers asked for a midweek crossing,” said Rosa Díaz of the ferry company.&lt;/p&gt;"
              "</description></item>")
    return (f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>Harbour Times</title>"
            f"<link>{site.url('/')}</link><description>News</description>{items}</channel></rss>")


def atom(site: FeedSite) -> str:
    return (f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'>"
            f"<title>Coast News</title><id>urn:coast</id><updated>2024-03-03T10:00:00Z</updated>"
            f"<entry><title>{site.pages['fishing'][0]}</title><id>urn:coast:fishing</id>"
            f"<link href='{site.url('/page/fishing')}'/><updated>2024-03-03T10:00:00Z</updated></entry></feed>")


def rdf(site: FeedSite) -> str:
    return (f"<?xml version='1.0'?><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
            f"xmlns='http://purl.org/rss/1.0/'><channel rdf:about='{site.url('/rdf.xml')}'><title>Port Wire</title>"
            f"<link>{site.url('/')}</link><description>Wire</description></channel>"
            f"<item rdf:about='{site.url('/page/harbour')}'><title>{site.pages['harbour'][0]}</title>"
            f"<link>{site.url('/page/harbour')}</link></item></rdf:RDF>")


def news_sitemap(site: FeedSite) -> str:
    return (f"<?xml version='1.0' encoding='UTF-8'?><urlset xmlns='http://www.sitemaps.org/schemas/sitemap/0.9' "
            f"xmlns:news='http://www.google.com/schemas/sitemap-news/0.9'><url><loc>{site.url('/page/budget')}</loc>"
            f"<news:news><news:publication><news:name>Valparaíso Daily</news:name><news:language>en</news:language>"
            f"</news:publication><news:publication_date>2024-03-05</news:publication_date>"
            f"<news:title>{site.pages['budget'][0]}</news:title></news:news></url></urlset>")


def build_app(site: FeedSite) -> web.Application:
    def conditional(request: web.Request, body: str, content_type: str) -> web.Response:
        etag = f'"v{site.version}"'
        modified = formatdate(1709280000 + site.version * 86400, usegmt=True)
        if request.headers.get("If-None-Match") == etag or request.headers.get("If-Modified-Since") == modified:
            return web.Response(status=304, headers={"ETag": etag, "Last-Modified": modified})
        return web.Response(text=body, content_type=content_type, charset="utf-8",
                            headers={"ETag": etag, "Last-Modified": modified})

    async def count(request: web.Request, handler):
        site.requests[request.path] += 1
        return await handler(request)

    async def page(request: web.Request) -> web.Response:
        name = request.match_info["name"]
        if name not in site.pages:
            raise web.HTTPNotFound()
        return web.Response(text=page_html(*site.pages[name]), content_type="text/html", charset="utf-8")

    async def feed_rss(request):
        return conditional(request, rss(site), "application/rss+xml")

    async def feed_atom(request):
        return conditional(request, atom(site), "application/atom+xml")

    async def feed_rdf(request):
        return conditional(request, rdf(site), "application/rdf+xml")

    async def feed_sitemap(request):
        return conditional(request, news_sitemap(site), "application/xml")

    async def broken(request):
        return web.Response(text="<rss><channel><title>Half a feed", content_type="application/rss+xml")

    async def slow(request):
        await asyncio.sleep(3)
        return conditional(request, rss(site), "application/rss+xml")

    async def held(request):
        # Answers once the test lets go (or after 30 s): a poll in progress for that long.
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(site.hold.wait(), 30)
        return conditional(request, atom(site), "application/atom+xml")

    async def redirect(request):
        raise web.HTTPFound(request.query["to"])

    app = web.Application(middlewares=[web.middleware(count)])
    app.add_routes([
        web.get("/page/{name}", page), web.get("/rss.xml", feed_rss), web.get("/atom.xml", feed_atom),
        web.get("/rdf.xml", feed_rdf), web.get("/news-sitemap.xml", feed_sitemap), web.get("/broken.xml", broken),
        web.get("/slow.xml", slow), web.get("/held.xml", held), web.get("/redirect", redirect),
    ])
    return app


@contextlib.asynccontextmanager
async def running_feeds() -> AsyncIterator[FeedSite]:
    """Serve feeds on a free port of 127.0.0.1 for the length of the block."""
    site = FeedSite(LocalSite("127.0.0.1", 0))
    runner = web.AppRunner(build_app(site), shutdown_timeout=0.5)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    site.local = LocalSite("127.0.0.1", runner.addresses[0][1])
    try:
        yield site
    finally:
        site.hold.set()
        await runner.cleanup()
