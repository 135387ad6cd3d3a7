"""article_from_html: the shared corpus, metadata, charsets, cleaning and refusals."""

from __future__ import annotations

import pytest

from coveragebot.index.ingest.articles import ArticleError
from coveragebot.index.ingest.loaders import articles_from_bytes
from coveragebot.index.ingest.html import article_from_html, decode_html, slug_from_url
from tests.index._corpus import HTML_PAGES, expected, token_f1

STORY = [
    "The city council voted on Tuesday to close the old harbour bridge to cars from next spring, "
    "ending a decade of arguments over the crumbling steel structure.",
    "Engineers told the council that the bridge could carry buses and bicycles for another twenty years "
    "but that daily car traffic was wearing out the deck faster than repairs could keep up.",
    "“We have patched it for as long as anyone can remember,” said Maria Lopez, who chairs the transport "
    "committee. “Patching is not a plan.”",
    "Shop owners on the north bank said they feared losing customers, and asked for a free shuttle "
    "during the first year. The council promised to study the idea before the budget vote in March.",
]


def story_page(extra_top: str = "", extra_bottom: str = "", head: str = "", charset: str = "utf-8") -> str:
    paragraphs = "".join(f"<p>{paragraph}</p>" for paragraph in STORY)
    return (
        f"<!doctype html><html><head><meta charset='{charset}'><title>Harbour bridge to close to cars</title>"
        f"{head}</head><body><header><nav><a href='/'>Home</a> <a href='/news'>News</a> "
        f"<a href='/sport'>Sport</a></nav></header><main><article><h1>Harbour bridge to close to cars</h1>"
        f"{extra_top}{paragraphs}{extra_bottom}</article></main>"
        f"<footer><p>&copy; 2024 The Harbour Gazette</p></footer></body></html>"
    )


def refusal(data, **kwargs) -> str:
    with pytest.raises(ArticleError) as caught:
        article_from_html(data, **kwargs)
    message = str(caught.value)
    assert "\n" not in message and len(message) <= 160, message
    return message


def test_html_corpus_is_there_to_test_against():
    assert len(HTML_PAGES) >= 4, "tests/data/corpus/html is missing"


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda page: page.stem)
def test_html_corpus_page_ingests_to_its_body_text(page):
    article = article_from_html(page.read_bytes(), label=page.name)
    assert token_f1(article.text, expected(page)["text"]) >= 0.9


@pytest.mark.parametrize("page", HTML_PAGES, ids=lambda page: page.stem)
def test_html_corpus_page_metadata(page):
    article = article_from_html(page.read_bytes(), url="https://mirror.example/copy", label=page.name)
    record = expected(page)
    assert article.title == record["title"]
    assert article.published == record["published"]
    assert article.url == record["url"]  # canonical beats the given URL
    assert article.outlet == record["outlet"]
    assert article.key == slug_from_url(record["url"])
    # Paragraphs are separated by blank lines, one paragraph per block.
    assert all(block.strip() and "\n" not in block for block in article.text.split("\n\n"))


def test_html_corpus_keeps_no_furniture():
    texts = {page.stem: article_from_html(page.read_bytes()).text for page in HTML_PAGES}
    for stem, text in texts.items():
        lowered = text.lower()
        for furniture in ("trending on", "full article", "loading weather", "reporting by", "editing by",
                          "contributed to this report", "read more", "all rights reserved"):
            assert furniture not in lowered, (stem, furniture)
        assert not text.startswith(expected(next(p for p in HTML_PAGES if p.stem == stem))["title"])


def test_html_author_of_a_multi_author_page_reads_as_a_list():
    cnn = next(page for page in HTML_PAGES if "cnn" in page.stem)
    assert article_from_html(cnn.read_bytes()).author.startswith("Dana A Ford, James S A Corey")


def test_html_drops_byline_caption_read_more_and_credit_tail():
    page = story_page(
        extra_top="<p>By Jane Doe and John Roe</p><p>Published 4 March 2024</p>"
                  "<p>Photo: A cyclist on the bridge. (Getty Images)</p>",
        extra_bottom="<p>Read more: Ferry timetable changes this summer</p><p>Advertisement</p>"
                     "<p>(Reporting by Jane Doe; Editing by Sam Poe)</p><h3>Most popular</h3>"
                     "<p>Ten things to do this weekend. Full Article</p>",
    )
    article = article_from_html(page, url="https://gazette.example/local/2024/03/04/harbour-bridge.html")
    assert article.text.split("\n\n") == STORY
    assert article.title == "Harbour bridge to close to cars"
    assert article.key == "harbour-bridge"
    assert article.outlet == "Gazette"  # no declared site name: the publishing domain


def test_html_keeps_a_dateline_once():
    page = story_page(extra_top="<p><span>LONDON</span></p>").replace(
        "<p>The city council", "<p>LONDON (Wire) - The city council"
    )
    article = article_from_html(page)
    assert article.text.startswith("LONDON (Wire) - The city council")
    assert article.text.count("LONDON") == 1


def test_html_key_prefers_given_key_then_url_then_label():
    page = story_page()
    assert article_from_html(page, url="https://x.example/a/bridge-vote/", key="mine").key == "mine"
    assert article_from_html(page, url="https://x.example/2024/03/bridge-vote/index.html").key == "bridge-vote"
    assert article_from_html(page, label="Bridge Vote.html").key == "bridge-vote"


def test_html_canonical_url_is_preferred_and_made_absolute():
    page = story_page(head="<link rel='canonical' href='/news/harbour-bridge'>")
    article = article_from_html(page, url="https://gazette.example/amp/harbour-bridge?utm_source=x")
    assert article.url == "https://gazette.example/news/harbour-bridge"


def test_html_via_articles_from_bytes_uses_the_html_loader():
    [article] = articles_from_bytes(story_page().encode("utf-8"), "bridge.html", "bridge")
    assert article.key == "bridge" and article.text.split("\n\n") == STORY


@pytest.mark.parametrize("label, codec", [("windows-1252", "cp1252"), ("iso-8859-1", "cp1252"),
                                          ("utf-8", "utf-8"), ("shift_jis", "shift_jis")])
def test_html_decodes_by_meta_charset(label: str, codec: str):
    extra = "<p>東京で会議があった。</p>" if codec == "shift_jis" else ""
    page = story_page(extra_bottom=extra, charset=label)
    text = article_from_html(page.encode(codec)).text
    assert "“We have patched it" in text and "Patching is not a plan.”" in text
    if extra:
        assert "東京で会議があった。" in text


def test_html_bom_wins_and_utf16_is_read():
    page = story_page(charset="windows-1252")
    assert "“We have" in article_from_html(b"\xef\xbb\xbf" + page.encode("utf-8")).text
    assert "“We have" in article_from_html(page.encode("utf-16")).text


def test_html_declared_encoding_beats_meta():
    page = story_page(charset="utf-8").encode("cp1252")
    assert "“We have" in article_from_html(page, encoding="windows-1252").text


def test_html_without_declaration_falls_back_from_utf8():
    page = story_page().replace("<meta charset='utf-8'>", "")
    assert "“We have" in decode_html(page.encode("utf-8"))
    assert "“We have" in decode_html(page.encode("cp1252"))


LOGIN_PAGE = (
    "<!doctype html><html><head><title>Sign in</title></head><body><nav><a href='/'>Home</a></nav>"
    "<main><h1>Sign in to continue reading</h1><p>Subscribers get unlimited access to every story.</p>"
    "<form><label>Email</label><input name='email'><label>Password</label><input type='password'>"
    "<button>Sign in</button></form><p>Forgot your password? <a href='/reset'>Reset it</a>.</p></main></body></html>"
)
INDEX_PAGE = (
    "<!doctype html><html><head><title>World</title></head><body><main><h1>World</h1><ul>"
    + "".join(f"<li><a href='/story/{n}'>Headline {n} about an important event somewhere today</a></li>"
              for n in range(30))
    + "</ul></main></body></html>"
)
NAV_PAGE = "<html><body><nav><ul>" + "".join(
    f"<li><a href='/s/{n}'>Section {n}</a></li>" for n in range(20)) + "</ul></nav></body></html>"


@pytest.mark.parametrize("page", [LOGIN_PAGE, INDEX_PAGE, NAV_PAGE], ids=["login", "index", "nav"])
def test_html_refuses_pages_without_an_article(page: str):
    assert refusal(page, url="https://x.example/p") == "https://x.example/p: no article text found on the page"


@pytest.mark.parametrize(
    "data, words",
    [
        (b"", "the page is empty"),
        (b"  \n\t ", "the page is empty"),
        (b'{"text": "a JSON body"}', "not an HTML page"),
        (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "not an HTML page"),
        (b"Plain words only. " * 40, "not an HTML page"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not an HTML page"),
    ],
    ids=["empty", "blank", "json", "pdf", "plain-text", "png"],
)
def test_html_refuses_non_html_input(data: bytes, words: str):
    assert refusal(data, label="upload.html").startswith(f"upload.html: {words}")


def test_html_refuses_a_teaser_too_short_to_be_an_article():
    page = "<html><body><article><p>Council votes to close the bridge. More soon.</p></article></body></html>"
    assert "no article text" in refusal(page, label="teaser.html")


@pytest.mark.parametrize("head,url,outlet", [
    ("<meta property='og:site_name' content='The Harbour Gazette'>", "https://gazette.example/a/b", "The Harbour Gazette"),
    ("<meta name='twitter:site' content='@gazette_co_uk'>", "https://www.gazette.co.uk/a/b", "Gazette"),
    ("", "https://in.wire.example/2024/03/04/x", "Wire"),
])
def test_outlet_is_declared_name_else_the_publishing_domain(head, url, outlet):
    article = article_from_html(story_page(head=head), url=url)
    assert article.outlet == outlet
