"""Hostile input, property-based: every command and every loader answers or refuses in one line.

Whatever a channel member types or a moderator uploads (random unicode, control and
zero-width characters, right-to-left marks, 100 KB strings, markdown and code-block
breakers, mentions, SQL fragments, search-syntax and regex metacharacters, path-like
names, broken HTML, JSON bombs, binary files renamed .txt) ends in an answer or in a
clear one-line refusal; no other exception escapes, and a refused input stores nothing.
"""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st

from coveragebot.bot.chat.render import MESSAGE_LIMIT, TITLE_LIMIT, pages
from coveragebot.bot.terminal.render import render
from coveragebot.index.answers import Answer, Notice, RemoveAnswer
from coveragebot.index.ingest.articles import Article, ArticleError
from coveragebot.index.ingest.loaders import articles_from_bytes
from coveragebot.index.commands import COMMANDS, CommandError, Origin, parse, run
from coveragebot.index.ingest.items import Item, article_from_paste, key_from_label
from coveragebot.index.service import Service
from coveragebot.index.settings import load_settings

# Pieces a hostile or careless user types; hypothesis mixes them with random unicode.
HOSTILE = [
    # mentions
    "@everyone", "@here", "<@123456789012345678>", "<@!123456789012345678>", "<@&987654321098765432>",
    "<#112233445566778899>", "<:emoji:123>", "</search:1>",
    # markdown and code-block breakers
    "```", "```py\nprint(1)\n```", "`", "``", "**", "__", "~~", "||spoiler||", "> quote", "# heading",
    "[link](https://example.org)", "\\", "\\*", "-# small",
    # SQL fragments
    "'; DROP TABLE articles; --", "\" OR 1=1 --", "UNION SELECT * FROM query_log", "%", "_", "' OR ''='",
    # FTS / tantivy / regex metacharacters
    "NEAR(a b)", "AND", "OR", "NOT", "*", "\"", "^2", "(", ")", "[", "]", "{", "}", "$", "?", "+", "|",
    ".*", "(?i)", "\\d+", "a:b", "title:x", "~1", "-", "!", "!!search", "/search",
    # invisible, bidirectional and control characters
    "\u200b", "\u200c", "\u200d", "\ufeff", "\u202e", "\u202d", "\u2066", "\u2069", "\u200f", "\u061c",
    "\x00", "\x07", "\x1b[31m", "\r\n", "\r", "\t", "\x0b", "\x0c", "\x7f", "\u0085", "\u2028", "\u2029",
    # a lone surrogate: what a terminal hands over for a non-UTF-8 byte (surrogateescape)
    "\udcff",
    # path-like and address-like
    "../../etc/passwd", "..\\..\\windows\\system32", "/etc/shadow", "file:///etc/passwd",
    "http://169.254.169.254/latest/meta-data/", "\\\\server\\share",
    # numbers that are not plain digits
    "\u0661\u0662", "\u00b2", "\U0001d7d9", "\u216b", "0", "-1", "99999999999999999999", "#5", "1e9", "0x10",
    # words the corpus holds, so some inputs find something
    "Petro", "sanctioned", "cocaine", "Bessent", "about", "said", "production", "Colombia",
]

piece = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=20))
hostile_text = st.lists(piece, max_size=12).map(" ".join) | st.lists(piece, max_size=12).map("".join)
# 100 KB strings made of one repeated piece.
giant_text = st.builds(lambda p, n: (p or "x") * (100_000 // max(1, len(p or "x")) + n),
                       st.sampled_from(HOSTILE + ["sanctions ", "a"]), st.integers(0, 3))
argument = hostile_text | giant_text

ORIGIN = Origin(frontend="stress", user_id="42", actor="stress")
# Read-only commands first; `remove` is checked with ids that exist left alone (below).
COMMAND_NAMES = ["search", "find", "who", "quotes", "context", "sources", "help", "people", "remove"]
EXAMPLES = 40

# Module-wide count of examples run per target, printed at the end of the module.
RUNS: dict[str, int] = {}


def _count(target: str) -> None:
    RUNS[target] = RUNS.get(target, 0) + 1


@pytest.fixture(scope="module")
async def service(tmp_path_factory):
    """One seeded service for the whole module (hypothesis reruns a test many times)."""
    path = tmp_path_factory.mktemp("hostile") / "hostile.db"
    opened = await Service.open(load_settings(env={}, storage_db=str(path)))
    yield opened
    await opened.close()
    print("\nhypothesis examples per target:", json.dumps(RUNS, sort_keys=True))


async def counts(service: Service) -> dict[str, int]:
    """Rows per table that a refused input must leave alone."""
    out = {}
    for table in ("articles", "sentences", "statements", "actions", "vocabulary", "query_log"):
        out[table] = await service.store.scalar(f"SELECT count(*) FROM {table} /* every workspace */")
    out["indexed"] = service.index.doc_count()
    return out


def assert_one_line(text: str) -> None:
    assert text.strip(), "an empty refusal"
    assert "\n" not in text, f"refusal is not one line: {text!r}"


def assert_renders(answer: Answer) -> None:
    """Both front ends render the answer within Discord's limits."""
    for page in pages(answer, 5):
        if page.content is not None:
            assert len(page.content) <= MESSAGE_LIMIT
        if page.embed is not None:
            assert len(page.embed.description or "") <= 4096
            assert len(page.embed.title or "") <= TITLE_LIMIT + 6
            assert len(page.embed) <= 6000
    assert isinstance(render(answer), str)


# -- the parser ---------------------------------------------------------------------

@settings(max_examples=300, deadline=None)
@given(line=argument | st.builds(lambda n, a: f"!{n} {a}", st.sampled_from(list(COMMANDS)), argument))
def test_parse_gives_an_invocation_or_a_one_line_usage_hint(line):
    _count("parse")
    try:
        invocation = parse(line)
    except CommandError as exc:
        assert exc.level == "usage"
        assert_one_line(exc.text)
        return
    assert invocation.name in COMMANDS
    assert isinstance(invocation.argument, str)


# -- every command through the command layer ---------------------------------------

@pytest.mark.parametrize("name", COMMAND_NAMES)
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=argument)
async def test_every_command_answers_or_refuses_in_one_line(service, name, text):
    _count(f"run !{name}")
    line = f"!{name} {text}"
    if name == "remove":
        # A hostile line that names a real article would really remove it; keep the corpus.
        try:
            invocation = parse(line)
            first = invocation.argument.lstrip("#").split()[0] if invocation.argument.split() else ""
        except CommandError:
            first = ""
        assume(not (first.isascii() and first.isdigit() and len(first) <= 12
                    and int(first) in await service.store.article_ids()))
    before = await counts(service)
    answer = await run(service, line, ORIGIN)
    after = await counts(service)

    assert isinstance(answer, Answer)
    assert not isinstance(answer, RemoveAnswer)
    if isinstance(answer, Notice):
        assert answer.level != "error", f"!{name} failed inside: {answer.text}"
        assert_one_line(answer.text)
    assert_renders(answer)
    # Reads store nothing but their one query-log row.
    assert after == {**before, "query_log": before["query_log"] + 1}


async def test_remove_with_a_real_id_removes_that_article_only(service):
    """The one non-refusal `remove` gives: a whole article, gone from search and store."""
    [outcome] = await service.add_articles(
        [Article("hostile-victim", "Victim", "Zanzibarian wombats were counted on Tuesday by the council.")],
        actor="stress")
    before = await counts(service)
    answer = await run(service, f"!remove {outcome.article.id}", ORIGIN)
    assert isinstance(answer, RemoveAnswer)
    after = await counts(service)
    assert after["articles"] == before["articles"] - 1
    assert after["indexed"] == before["indexed"] - outcome.sentences
    assert (await service.search("Zanzibarian wombats")).hits == ()


# -- the loaders -------------------------------------------------------------------

def assert_articles(articles: list[Article]) -> None:
    assert articles, "a loader returned no article and no refusal"
    for article in articles:
        assert article.text.strip() and article.title.strip() and article.key


def load_or_refuse(data: bytes, label: str, target: str) -> list[Article] | None:
    """The loader's answer, or None for a one-line ArticleError; anything else fails the test."""
    _count(target)
    try:
        articles = articles_from_bytes(data, label, key_from_label(label))
    except ArticleError as exc:
        assert_one_line(str(exc))
        return None
    assert_articles(articles)
    return articles


labels = st.sampled_from(["", "../../etc/passwd", "..\\..\\boot.ini", "/etc/shadow", "con", "a b c",
                          "\u202eexe.txt", "x" * 300, "@everyone", "```"])
binary = st.binary(max_size=2000).map(lambda b: b + b"\x00" + b)
random_bytes = st.binary(max_size=3000)
utf8_text = (hostile_text | giant_text).map(lambda t: t.encode("utf-8", "surrogatepass"))


@settings(max_examples=120, deadline=None)
@given(data=utf8_text | binary | random_bytes, label=labels, suffix=st.sampled_from([".txt", ".md", ".markdown"]))
def test_text_loader_answers_or_refuses(data, label, suffix):
    articles = load_or_refuse(data, label + suffix, "articles_from_bytes .txt/.md")
    if b"\x00" in data:
        assert articles is None, "binary content renamed .txt was accepted"


json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | hostile_text
json_values = st.recursive(json_scalars, lambda inner: st.lists(inner, max_size=4)
                           | st.dictionaries(st.sampled_from(["text", "title", "id", "url", "author",
                                                              "outlet", "published"]) | st.text(max_size=5),
                                             inner, max_size=5), max_leaves=20)
article_objects = st.fixed_dictionaries(
    {"text": hostile_text | giant_text},
    optional={k: json_values for k in ("title", "id", "url", "author", "outlet", "published")},
)


def _bomb(depth: int, kind: str) -> str:
    if kind == "list":
        return "[" * depth + "]" * depth
    if kind == "object":
        return '{"text":' * depth + '"x"' + "}" * depth
    if kind == "number":
        return '{"text": "A body.", "id": ' + "9" * depth + "}"
    return '{"text": "' + "\\u0000" * depth + '"}'


json_documents = st.one_of(
    json_values.map(json.dumps),
    article_objects.map(json.dumps),
    st.lists(article_objects, max_size=3).map(json.dumps),
    st.builds(_bomb, st.integers(1_000, 200_000), st.sampled_from(["list", "object", "number", "nul"])),
    hostile_text,
)


@settings(max_examples=120, deadline=None)
@given(document=json_documents, label=labels)
def test_json_loader_answers_or_refuses(document, label):
    load_or_refuse(document.encode("utf-8", "surrogatepass"), label + ".json", "articles_from_bytes .json")


tags = st.sampled_from(["<html>", "<head>", "<body>", "<article>", "<p>", "</p>", "<div", "<script>",
                        "</script>", "<!--", "-->", "<![CDATA[", "]]>", "<meta charset='utf-16'>",
                        "<meta charset=\"x-nonsense\">", "<?xml version='1.0' encoding='ebcdic'?>",
                        "<title>", "</title>", "<a href='javascript:alert(1)'>", "<link rel=canonical href='file:///etc/passwd'>",
                        "&amp;", "&#0;", "&#xD800;", "&bogus;", "<br/>", "<h1>", "<table><tr><td>", "\x00",
                        "<svg onload=alert(1)>", "<!DOCTYPE html>", "<<<<", ">>>>"])
prose = st.just("The council said on Tuesday that the new bridge over the river would open in the spring, "
                "after two years of delays caused by floods and a shortage of steel. ")
html_documents = st.lists(tags | hostile_text | prose, max_size=40).map("".join)


@settings(max_examples=60, deadline=None)
@given(document=html_documents, encoding=st.sampled_from(["utf-8", "utf-16", "latin-1"]), label=labels)
def test_html_loader_answers_or_refuses(document, encoding, label):
    data = document.encode(encoding, "replace") if encoding != "utf-8" else document.encode("utf-8", "surrogatepass")
    load_or_refuse(data, label + ".html", "articles_from_bytes .html")


@settings(max_examples=150, deadline=None)
@given(text=argument)
def test_paste_answers_or_refuses(text):
    _count("article_from_paste")
    try:
        article = article_from_paste(text)
    except ArticleError as exc:
        assert_one_line(str(exc))
        return
    assert_articles([article])


def test_a_path_like_name_is_only_a_label():
    [article] = articles_from_bytes(b"A short note about the harbour.", "../../etc/passwd.txt",
                                    key_from_label("../../etc/passwd.txt"))
    assert article.text == "A short note about the harbour."
    assert "/" not in article.key and ".." not in article.key


# -- refused uploads store nothing, end to end -------------------------------------

REFUSED_UPLOADS = [
    ("binary renamed .txt", "photo.txt", bytes(range(256)) * 8),
    ("binary renamed .md", "../../etc/passwd.md", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 500),
    ("undefined Windows-1252 bytes", "notes.txt", b"Caf\x81 cr\x8d\x8fme"),
    ("empty .txt", "empty.txt", b""),
    ("only invisible characters", "blank.txt", "\u200b\ufeff \u200d\n\t".encode()),
    ("JSON list bomb", "bomb.json", b"[" * 100_000 + b"]" * 100_000),
    ("JSON object bomb", "bomb2.json", b'{"text":' * 50_000 + b'"x"' + b"}" * 50_000),
    ("JSON huge number", "number.json", b'{"text": "A body of text.", "id": ' + b"9" * 5_000 + b"}"),
    ("JSON without text", "notext.json", b'{"title": "@everyone", "url": "file:///etc/passwd"}'),
    ("JSON empty list", "list.json", b"[]"),
    ("broken HTML", "page.html", b"<html><body><p>Too short</p><div><script>alert(1)"),
    ("HTML that is not HTML", "page.htm", b"just words, no markup at all"),
    ("binary HTML", "page.html", b"\x00\x01\x02" * 100),
    ("unsupported type", "archive.zip", b"PK\x03\x04 plain enough text for a loader to take"),
    ("executable name", "run.exe", b"MZ this reads as text but is not an article file"),
    ("over the size limit", "big.txt", b"word " * 1_100_000),
]


@pytest.mark.parametrize("why,label,data", REFUSED_UPLOADS, ids=[r[0] for r in REFUSED_UPLOADS])
async def test_refused_upload_stores_nothing(service, why, label, data):
    before = await counts(service)
    [outcome] = await service.add_items([Item(label, "upload", data)], actor="stress")
    assert outcome.status == "failed", f"{why}: {outcome.message}"
    assert_one_line(outcome.message)
    assert "Error" not in outcome.message.split(":")[-1], f"{why}: an internal error leaked: {outcome.message}"
    assert await counts(service) == before


REFUSED_PASTES = ["", "   \n\t", "only a title line", "Title\n\n   \n", "\u200b\n\u200b", "Title:\nAuthor: x\n"]


@pytest.mark.parametrize("text", REFUSED_PASTES)
async def test_refused_paste_stores_nothing(service, text):
    before = await counts(service)
    [outcome] = await service.add_items([Item("pasted text", "paste", text)], actor="stress")
    assert outcome.status == "failed", outcome.message
    assert_one_line(outcome.message)
    assert await counts(service) == before


async def test_hostile_article_is_stored_whole_and_quoted_exactly(service):
    """An accepted article full of mentions and breakers is searchable, exact, and removable."""
    body = ("@everyone the council voted <@&987654321098765432> to close the ``` harbour ``` on Friday.\n\n"
            "'; DROP TABLE articles; -- said the \u202eharbour\u202c master, Ms. Quillfeather, on Friday.")
    before = await counts(service)
    [outcome] = await service.add_items([Item("../../etc/passwd.txt", "upload", body.encode())], actor="stress")
    assert outcome.status == "added", outcome.message
    hits = (await service.search("Quillfeather harbour")).hits
    assert hits and all(h.text in body for h in hits)
    assert_renders(await run(service, "!search Quillfeather harbour", ORIGIN))
    await service.remove_article(outcome.article.id, "stress")
    after = await counts(service)
    assert {k: v for k, v in after.items() if k != "query_log"} == {
        k: v for k, v in before.items() if k != "query_log"}
