"""Fetch one web page safely and turn it into an Article.

Every hop of a redirect chain is checked the same way: http(s) only, no
credentials, a host that resolves to public addresses only, and a connection
pinned to exactly the addresses that were checked (no second DNS lookup that a
rebinding server could answer differently).
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from http import HTTPStatus

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from yarl import URL

from coveragebot.index.ingest.articles import Article, ArticleError
from coveragebot.index.ingest.html import article_from_html

HTML_TYPES = {"text/html", "application/xhtml+xml"}
_REDIRECTS = {301, 302, 303, 307, 308}
_CHUNK = 64 * 1024
_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.1"
# What a refused content type is, in words a reader knows.
_TYPE_NAMES = {
    "application/pdf": "a PDF",
    "application/json": "JSON data",
    "application/ld+json": "JSON data",
    "text/plain": "a plain-text file",
    "text/csv": "a CSV file",
    "application/xml": "an XML document",
    "text/xml": "an XML document",
    "application/rss+xml": "an RSS feed",
    "application/atom+xml": "an Atom feed",
    "application/zip": "a ZIP archive",
    "application/octet-stream": "a binary file",
    "application/msword": "a Word document",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "a Word document",
}
_TYPE_FAMILIES = {"image": "an image", "video": "a video", "audio": "an audio file", "font": "a font"}
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class FetchSettings:
    """Limits for fetching one page; `allowed_hosts` may be private (an intranet CMS)."""

    timeout_s: float = 10.0
    max_bytes: int = 5_000_000
    max_redirects: int = 5
    allow_private: bool = False
    user_agent: str = "coveragebot/0.1 (+newsroom bot)"
    allowed_hosts: tuple[str, ...] = ()


class FetchError(ArticleError):
    """A page that could not be fetched; the message is one line for the user."""


@dataclass(frozen=True)
class Fetched:
    """A fetched document, or (status 304) word that it has not changed since the validators given."""

    url: str  # the final address, after redirects
    status: int
    data: bytes = b""
    charset: str = ""
    content_type: str = ""
    etag: str = ""
    last_modified: str = ""


async def fetch_resource(url: str, settings: FetchSettings, accept: str, types: frozenset[str],
                         etag: str = "", last_modified: str = "") -> Fetched:
    """Download `url` under the same rules as a page (every hop checked, one deadline, a byte cap),
    accepting the content `types`; with `etag`/`last_modified` the GET is conditional."""
    headers = {"Accept": accept}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        async with asyncio.timeout(settings.timeout_s):
            return await _download_resource(url, settings, headers, types)
    except TimeoutError:
        raise FetchError(f"The server took longer than {settings.timeout_s:g} s to answer.") from None


async def fetch_article(url: str, settings: FetchSettings = FetchSettings()) -> Article:
    """Download `url` within `settings` and extract its article."""
    try:
        # One deadline for the whole chain: DNS, every hop and the body.
        async with asyncio.timeout(settings.timeout_s):
            final_url, data, charset = await _download(url, settings)
    except TimeoutError:
        raise FetchError(f"The page took longer than {settings.timeout_s:g} s to answer.") from None
    try:
        # trafilatura is CPU work; keep it off the event loop.
        return await asyncio.to_thread(article_from_html, data, url=final_url, encoding=charset)
    except FetchError:
        raise
    except ArticleError as exc:
        raise FetchError(str(exc)) from exc


def parse_url(text: str, base: URL | None = None) -> URL:
    """A fetchable absolute URL, or a FetchError saying why not."""
    try:
        url = URL(text.strip())
        if base is not None:
            url = base.join(url)
    except (ValueError, TypeError):
        raise FetchError("That is not a valid web address.") from None
    if not url.scheme:
        raise FetchError("That is not a full web address (it should start with https://).")
    if url.scheme not in {"http", "https"}:
        raise FetchError(f"Only http:// and https:// links are fetched, not {url.scheme}://.")
    if url.user is not None or url.password is not None:
        raise FetchError("Links with a user name or password in them are not fetched.")
    if not url.raw_host:
        raise FetchError("That web address has no host name.")
    return url.with_fragment(None)


def is_internal_address(address: IPAddress) -> bool:
    """True for loopback, private, link-local, multicast, reserved or unspecified addresses."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_internal_address(address.ipv4_mapped)
        embedded = address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None and is_internal_address(embedded):
            return True
    return (
        address.is_loopback
        or address.is_private
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


class VettedResolver(AbstractResolver):
    """An aiohttp resolver that only answers with addresses already checked.

    aiohttp connects to whatever its resolver returns; answering from this table
    means the socket goes to the address that passed the SSRF check, not to a
    fresh DNS answer.
    """

    def __init__(self) -> None:
        self._vetted: dict[str, list[str]] = {}

    def vet(self, host: str, addresses: list[IPAddress]) -> None:
        """Record the checked addresses of `host`."""
        self._vetted[_host_key(host)] = [str(address) for address in addresses]

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        addresses = self._vetted.get(_host_key(host))
        if not addresses:
            raise OSError(f"{host} was not vetted before connecting")
        return [
            ResolveResult(
                hostname=host,
                host=address,
                port=port,
                family=socket.AF_INET6 if ":" in address else socket.AF_INET,
                proto=0,
                flags=socket.AI_NUMERICHOST,
            )
            for address in addresses
        ]

    async def close(self) -> None:
        self._vetted.clear()


async def _download(url: str, settings: FetchSettings) -> tuple[str, bytes, str]:
    fetched = await _download_resource(url, settings, {"Accept": _ACCEPT}, HTML_TYPES)
    return fetched.url, fetched.data, fetched.charset


async def _download_resource(url: str, settings: FetchSettings, headers: dict[str, str],
                             types: frozenset[str] | set[str]) -> Fetched:
    current = parse_url(url)
    resolver = VettedResolver()
    timeout = aiohttp.ClientTimeout(
        total=settings.timeout_s, sock_connect=settings.timeout_s, sock_read=settings.timeout_s
    )
    session = aiohttp.ClientSession(
        connector=aiohttp.TCPConnector(resolver=resolver, use_dns_cache=False, force_close=True),
        timeout=timeout,
        headers={"User-Agent": settings.user_agent, **headers},
        cookie_jar=aiohttp.DummyCookieJar(),
        trust_env=False,  # an environment proxy would connect on our behalf, unchecked
    )
    seen = {str(current)}
    async with session:
        for hop in range(settings.max_redirects + 1):
            host = current.raw_host or ""
            resolver.vet(host, await _checked_addresses(current, settings, redirected=hop > 0))
            try:
                async with session.get(current, allow_redirects=False) as response:
                    location = response.headers.get("Location")
                    if response.status in _REDIRECTS and location:
                        target = parse_url(location, base=current)
                        if str(target) in seen:
                            raise FetchError("The page redirects in a loop.")
                        if hop == settings.max_redirects:
                            break
                        seen.add(str(target))
                        current = target
                        continue
                    if response.status == 304 and ("If-None-Match" in headers or "If-Modified-Since" in headers):
                        return Fetched(str(current), 304, etag=response.headers.get("ETag", ""),
                                       last_modified=response.headers.get("Last-Modified", ""))
                    _check_response(response, types)
                    data = await _read_capped(response, settings.max_bytes)
                    return Fetched(str(current), response.status, data, response.charset or "",
                                   response.content_type.lower(), response.headers.get("ETag", ""),
                                   response.headers.get("Last-Modified", ""))
            except TimeoutError:
                raise  # aiohttp's timeouts are ClientErrors too; fetch_article words them
            except aiohttp.ClientError as exc:
                raise FetchError(_client_error_message(exc, host)) from exc
    raise FetchError(f"Too many redirects (over {settings.max_redirects}).")


async def _checked_addresses(url: URL, settings: FetchSettings, redirected: bool) -> list[IPAddress]:
    host = url.raw_host or ""
    addresses = await _resolve(host, url.port or 0)
    if settings.allow_private or _host_key(host) in {_host_key(name) for name in settings.allowed_hosts}:
        return addresses
    for address in addresses:
        if is_internal_address(address):
            verb = "redirects" if redirected else "points"
            raise FetchError(
                f"That URL {verb} inside the network ({address}); private addresses are not fetched unless"
                " fetch.allow_private_urls is on (COVERAGEBOT_ALLOW_PRIVATE_URLS=1)."
            )
    return addresses


async def _resolve(host: str, port: int) -> list[IPAddress]:
    literal = _ip_literal(host)
    if literal is not None:
        return [literal]
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        raise FetchError(f"The site {host} could not be found.") from None
    addresses: list[IPAddress] = []
    for family, _type, _proto, _name, sockaddr in infos:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    if not addresses:
        raise FetchError(f"The site {host} could not be found.")
    return addresses


def _check_response(response: aiohttp.ClientResponse, types=HTML_TYPES) -> None:
    if not 200 <= response.status < 300:
        raise FetchError(f"The server answered {_status_text(response)}.")
    if "Content-Type" in response.headers:
        kind = response.content_type.lower()
        if kind not in types:
            wanted = "a web page" if types is HTML_TYPES else "a feed"
            raise FetchError(f"That link points to {_type_name(kind)}, not {wanted}.")


async def _read_capped(response: aiohttp.ClientResponse, max_bytes: int) -> bytes:
    too_big = f"The page is larger than {_size(max_bytes)}."
    if response.content_length is not None and response.content_length > max_bytes:
        raise FetchError(too_big)
    chunks: list[bytes] = []
    total = 0
    async for chunk in response.content.iter_chunked(_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(too_big)
        chunks.append(chunk)
    return b"".join(chunks)


def _client_error_message(exc: aiohttp.ClientError, host: str) -> str:
    if isinstance(exc, (aiohttp.ClientConnectorCertificateError, aiohttp.ClientSSLError)):
        return f"The security certificate of {host} could not be verified."
    if isinstance(exc, aiohttp.ClientConnectorError):
        return f"Could not connect to {host}."
    if isinstance(exc, aiohttp.InvalidURL):
        return "That is not a valid web address."
    if isinstance(exc, (aiohttp.ServerDisconnectedError, aiohttp.ClientPayloadError, aiohttp.ClientOSError)):
        return f"The connection to {host} broke before the page arrived."
    if isinstance(exc, aiohttp.ClientResponseError):
        return f"{host} sent a response that could not be read."
    return f"The page could not be fetched ({type(exc).__name__})."


def _status_text(response: aiohttp.ClientResponse) -> str:
    try:
        phrase = HTTPStatus(response.status).phrase
    except ValueError:
        phrase = response.reason or ""
    return f"{response.status} {phrase}".strip()


def _type_name(kind: str) -> str:
    if kind in _TYPE_NAMES:
        return _TYPE_NAMES[kind]
    family = kind.split("/", 1)[0]
    if family in _TYPE_FAMILIES:
        return _TYPE_FAMILIES[family]
    if kind.endswith("+json"):
        return "JSON data"
    if kind.endswith("+xml"):
        return "an XML document"
    return f"a {kind} file" if kind else "a file of unknown type"


def _size(count: int) -> str:
    if count >= 1_000_000:
        return f"{count / 1_000_000:g} MB"
    if count >= 1_000:
        return f"{count / 1_000:g} kB"
    return f"{count:,} bytes"


def _ip_literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _host_key(host: str) -> str:
    return host.strip("[]").rstrip(".").lower()
