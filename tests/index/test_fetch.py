"""fetch_article against a real aiohttp server on 127.0.0.1: pages, limits, refusals."""

from __future__ import annotations

import ipaddress
import socket

import pytest
import pytest_asyncio

from coveragebot.index.ingest.fetch import FetchError, FetchSettings, VettedResolver, fetch_article, is_internal_address
from tests.index._corpus import HTML_PAGES, expected, token_f1
from tests.index._http_server import LocalSite, running_site

# Private addresses allowed: the test server itself is on 127.0.0.1.
LOCAL = FetchSettings(allow_private=True, timeout_s=5.0)


@pytest_asyncio.fixture(scope="module")
async def site():
    async with running_site() as local:
        yield local


def test_localhost_names_the_loopback_address():
    # The redirect tests below reach the test server through the name `localhost`.
    infos = socket.getaddrinfo("localhost", 80, type=socket.SOCK_STREAM)
    assert any(info[4][0] == "127.0.0.1" for info in infos)


async def refusal(url: str, settings: FetchSettings) -> str:
    """The one-line message of the FetchError that fetching `url` must raise."""
    with pytest.raises(FetchError) as caught:
        await fetch_article(url, settings)
    message = str(caught.value)
    # One line that fits a Discord reply with room to spare, even with an IPv6 address in it.
    assert "\n" not in message and 10 < len(message) <= 200, message
    return message


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda page: page.stem)
async def test_fetch_each_corpus_page_ingests_to_its_body_text(site: LocalSite, page):
    article = await fetch_article(site.url(f"/article/{page.stem}"), LOCAL)
    record = expected(page)
    assert token_f1(article.text, record["text"]) >= 0.9
    assert article.title == record["title"]
    # The page's canonical URL wins over the address it was fetched from.
    assert article.url == record["url"]


async def test_fetch_follows_redirects_to_the_final_page(site: LocalSite):
    article = await fetch_article(site.url("/hops/3"), LOCAL)
    assert token_f1(article.text, expected(HTML_PAGES[-1])["text"]) >= 0.9


async def test_fetch_sends_the_configured_user_agent(site: LocalSite):
    settings = FetchSettings(allow_private=True, user_agent="coveragebot-test/9")
    article = await fetch_article(site.url("/agent"), settings)
    assert "coveragebot-test/9" in article.text


async def test_fetch_refuses_the_loopback_test_server_when_private_is_not_allowed(site: LocalSite):
    message = await refusal(site.url("/article/" + HTML_PAGES[0].stem), FetchSettings())
    assert message == ("That URL points inside the network (127.0.0.1); private addresses are not fetched unless"
                       " fetch.allow_private_urls is on (COVERAGEBOT_ALLOW_PRIVATE_URLS=1).")


async def test_fetch_refuses_a_host_name_that_resolves_to_loopback(site: LocalSite):
    message = await refusal(site.url("/nav", host="localhost"), FetchSettings())
    assert "points inside the network" in message


@pytest.mark.parametrize("target", ["http://127.0.0.1:{port}/nav", "http://10.0.0.1/admin",
                                    "http://[::ffff:127.0.0.1]:{port}/nav", "http://169.254.169.254/latest/meta-data/"])
async def test_fetch_refuses_a_redirect_hop_into_the_network(site: LocalSite, target: str):
    # The first hop is to a host allowed by name (as an intranet CMS would be);
    # the redirect it answers with must still be checked on its own.
    settings = FetchSettings(allowed_hosts=("localhost",), timeout_s=5.0)
    hop = target.format(port=site.port)
    message = await refusal(site.url(f"/redirect?to={hop}", host="localhost"), settings)
    assert message.startswith("That URL redirects inside the network (")
    assert "private addresses are not fetched" in message


async def test_fetch_allowed_host_is_fetched_even_though_it_is_private(site: LocalSite):
    settings = FetchSettings(allowed_hosts=("localhost",), timeout_s=5.0)
    article = await fetch_article(site.url(f"/article/{HTML_PAGES[0].stem}", host="localhost"), settings)
    assert article.title == expected(HTML_PAGES[0])["title"]


@pytest.mark.parametrize("path", ["/slow/headers", "/slow/body", "/slow/hops/3"])
async def test_fetch_times_out_on_a_slow_server(site: LocalSite, path: str):
    settings = FetchSettings(allow_private=True, timeout_s=0.5)
    assert await refusal(site.url(path), settings) == "The page took longer than 0.5 s to answer."


@pytest.mark.parametrize("path", ["/big", "/big/chunked"], ids=["content-length", "chunked"])
async def test_fetch_refuses_an_oversized_body(site: LocalSite, path: str):
    settings = FetchSettings(allow_private=True, max_bytes=5_000)
    assert await refusal(site.url(path), settings) == "The page is larger than 5 kB."


async def test_fetch_refuses_a_declared_oversized_body_before_reading_it(site: LocalSite):
    settings = FetchSettings(allow_private=True, timeout_s=3.0)
    assert await refusal(site.url("/big/declared"), settings) == "The page is larger than 5 MB."


@pytest.mark.parametrize(
    "kind, words",
    [("json", "points to JSON data, not a web page"), ("pdf", "points to a PDF, not a web page"),
     ("png", "points to an image, not a web page")],
)
async def test_fetch_refuses_content_that_is_not_html(site: LocalSite, kind: str, words: str):
    assert words in await refusal(site.url(f"/typed/{kind}"), LOCAL)


async def test_fetch_refuses_a_missing_page(site: LocalSite):
    assert await refusal(site.url("/no/such/page"), LOCAL) == "The server answered 404 Not Found."


async def test_fetch_refuses_a_page_that_is_not_an_article(site: LocalSite):
    assert "no article text found on the page" in await refusal(site.url("/nav"), LOCAL)


async def test_fetch_refuses_a_redirect_loop(site: LocalSite):
    assert await refusal(site.url("/loop/a"), LOCAL) == "The page redirects in a loop."


async def test_fetch_refuses_too_many_redirects(site: LocalSite):
    settings = FetchSettings(allow_private=True, max_redirects=2)
    assert await refusal(site.url("/hops/3"), settings) == "Too many redirects (over 2)."
    # Exactly the allowed number still arrives.
    assert (await fetch_article(site.url("/hops/2"), settings)).text


async def test_fetch_refuses_a_redirect_to_another_scheme(site: LocalSite):
    message = await refusal(site.url("/redirect?to=file:///etc/passwd"), LOCAL)
    assert message == "Only http:// and https:// links are fetched, not file://."


@pytest.mark.parametrize(
    "url, words",
    [
        ("ftp://example.com/story.html", "not ftp://"),
        ("file:///etc/passwd", "not file://"),
        ("javascript:alert(1)", "not javascript://"),
        ("http://user:secret@example.com/", "user name or password"),
        ("http:///no-host", "no host name"),
        ("example.com/story", "should start with https://"),
        ("http://example.com:99999/", "not a valid web address"),
    ],
)
async def test_fetch_refuses_addresses_that_are_not_plain_web_links(url: str, words: str):
    assert words in await refusal(url, FetchSettings())


async def test_fetch_refuses_an_unresolvable_host():
    # .invalid never resolves (RFC 2606), so no network is needed to see this.
    message = await refusal("http://no-such-host.invalid/story", FetchSettings(timeout_s=5.0))
    assert message == "The site no-such-host.invalid could not be found."


@pytest.mark.parametrize(
    "address, internal",
    [
        ("127.0.0.1", True), ("10.0.0.1", True), ("172.16.5.4", True), ("192.168.1.1", True),
        ("169.254.169.254", True), ("0.0.0.0", True), ("224.0.0.1", True), ("240.0.0.1", True),
        ("100.64.0.1", True), ("::1", True), ("::", True), ("fe80::1", True), ("fc00::1", True),
        ("ff02::1", True), ("::ffff:127.0.0.1", True), ("::ffff:10.1.2.3", True),
        ("64:ff9b::a00:1", True), ("2002:7f00:1::", True),
        ("93.184.216.34", False), ("8.8.8.8", False), ("2606:4700:4700::1111", False),
        ("::ffff:8.8.8.8", False),
    ],
)
def test_is_internal_address_table(address: str, internal: bool):
    assert is_internal_address(ipaddress.ip_address(address)) is internal


async def test_vetted_resolver_answers_only_with_checked_addresses():
    resolver = VettedResolver()
    resolver.vet("news.example.", [ipaddress.ip_address("93.184.216.34")])
    answers = await resolver.resolve("NEWS.example", 443)
    assert [(answer["host"], answer["port"]) for answer in answers] == [("93.184.216.34", 443)]
    with pytest.raises(OSError):
        await resolver.resolve("rebound.example", 443)
