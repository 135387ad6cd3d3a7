"""Article loaders: headers, JSON fields, bylines, refusals."""

from __future__ import annotations

import json

import pytest

from coveragebot.index.ingest.articles import ArticleError, article_from_text, derive_title, strip_bylines
from coveragebot.index.ingest.loaders import articles_from_bytes, load_article_file
from coveragebot.index.ingest.dates import date_line_iso
from coveragebot.index.settings import seed_files
from tests.conftest import CORPUS, SEEDS


def test_text_headers_become_fields(tmp_path):
    path = tmp_path / "note.txt"
    path.write_text(
        "Title: Port strike ends\nOutlet: Harbour Times\nAuthor: Ana Ruiz\n"
        "URL: https://example.org/strike\nPublished: 2025-03-01\n\nDockers voted to return.\n",
        encoding="utf-8",
    )
    [article] = load_article_file(path)
    assert (article.key, article.title, article.outlet, article.author) == (
        "note", "Port strike ends", "Harbour Times", "Ana Ruiz")
    assert article.url == "https://example.org/strike"
    assert article.published == "2025-03-01"
    assert article.text == "Dockers voted to return."


def test_text_without_headers_takes_title_from_text(tmp_path):
    path = tmp_path / "plain.md"
    path.write_text("The council approved the budget on Monday.\n\nIt passed 7-2.", encoding="utf-8")
    [article] = load_article_file(path)
    assert article.title == "The council approved the budget on Monday."
    assert article.outlet == article.url == article.author == ""


def test_glued_byline_becomes_author_and_leaves_the_sentence():
    body, author = strip_bylines(
        "Zohre Khazaee - seyed mohammad kazemiThe US has placed sanctions on Colombia's president.\nMore."
    )
    assert author == "Zohre Khazaee - seyed mohammad kazemi"
    assert body.startswith("The US has placed sanctions")


def test_glued_byline_in_a_file_sets_the_author(tmp_path):
    path = tmp_path / "glued.txt"
    path.write_text("Jane Doe - john roeThe mayor resigned on Tuesday.\nShe gave no reason.", encoding="utf-8")
    [article] = load_article_file(path)
    assert article.author == "Jane Doe - john roe"
    assert article.text.startswith("The mayor resigned")


@pytest.mark.parametrize("text", [
    "Amazon's PlayStation rival launched today. It sold out.",
    "McDonald's raised prices. Customers noticed.",
    "JavaScript remains popular. Surveys agree.",
])
def test_camel_case_words_are_not_bylines(text):
    assert strip_bylines(text) == (text, "")


def test_trailing_byline_line_is_not_a_sentence():
    body, author = strip_bylines("The vote passed.\n\nZohre Khazaee - seyed mohammad kazemi")
    assert body.strip() == "The vote passed."
    assert author == ""


def test_seeds_keep_their_text_apart_from_the_stray_byline():
    [first] = load_article_file(SEEDS / "000_17be2d3fc3a7a9ed.txt")
    raw = (SEEDS / "000_17be2d3fc3a7a9ed.txt").read_text(encoding="utf-8")
    assert raw.startswith(first.text)
    assert "Khazaee" not in first.text
    assert first.outlet == first.url == ""


def test_every_shared_corpus_json_loads():
    files = sorted(CORPUS.glob("*.json"))
    assert len(files) >= 8
    for path in files:
        [article] = load_article_file(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        assert article.key == data["id"]
        assert article.title == data["title"]
        assert article.url == (data["url"] or "")
        assert article.text


def test_json_list_and_unknown_fields(tmp_path):
    path = tmp_path / "batch.json"
    path.write_text(json.dumps([
        {"id": "a1", "title": "One", "text": "First body.", "mood": "ignored"},
        {"title": "Two", "text": "Second body.", "outlet": "Gazette"},
    ]), encoding="utf-8")
    first, second = load_article_file(path)
    assert (first.key, first.title) == ("a1", "One")
    assert (second.key, second.outlet) == ("batch-2", "Gazette")


@pytest.mark.parametrize("name,data,message", [
    ("undefined.txt", b"Caf\x81 au lait", "not text in UTF-8, UTF-16 or Windows-1252 (byte 0x81 at offset 3)"),
    ("controls.txt", b"\x01\x02\x03\xe9\x04\x05", "binary"),
    ("odd-utf16.txt", b"\xff\xfe\x00binary", "binary"),
    ("empty.txt", b"   \n", "empty"),
    ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00", "binary"),
    ("broken.json", b'{"text": ', "not valid JSON"),
    ("notext.json", b'{"title": "x"}', "no 'text'"),
    ("deep.json", b"[" * 100_000 + b"]" * 100_000, "JSON"),
    ("image.png", b"xx", "unsupported"),
])
def test_bad_files_are_refused_with_one_line_naming_them(tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(ArticleError) as info:
        load_article_file(path)
    assert name in str(info.value) and message in str(info.value)
    assert "\n" not in str(info.value)


def test_oversized_file_is_refused(tmp_path):
    path = tmp_path / "big.txt"
    path.write_text("word " * 1000, encoding="utf-8")
    with pytest.raises(ArticleError, match="over the 100 limit"):
        load_article_file(path, max_bytes=100)


def test_pasted_text_title_is_the_first_line():
    article = article_from_text("Flood warning lifted\nThe river fell overnight.", "pasted", title_from_first_line=True)
    assert article.title == "Flood warning lifted"
    assert article.text == "The river fell overnight."


def test_upload_label_is_only_a_name():
    [article] = articles_from_bytes(b"A short note about the port.", "../../etc/passwd.txt", "passwd")
    assert article.key == "passwd"


# -- a title, byline and date copied from a page --------------------------------

BODY = "Dockworkers voted to return on Friday, the union said.\n\nCranes were moving by noon."
STRIKE = "Port workers end three-week strike in Valparaíso"


@pytest.mark.parametrize("top", [
    f"{STRIKE}\nBy María José Fernández\nOctober 24, 2025",
    f"{STRIKE}\n\nBy María José Fernández\n\nOctober 24, 2025",
    f"{STRIKE}\nOctober 24, 2025\nBy María José Fernández",
    f"{STRIKE} By María José Fernández October 24, 2025",
    f"{STRIKE}\nBy María José Fernández | Oct. 24, 2025 10:32 AM ET",
    f"{STRIKE}\nBY María José Fernández\nUpdated 3:04 PM EDT, Fri October 24, 2025",
], ids=["own-lines", "blank-lines-between", "date-first", "glued-in-one-line", "byline-and-date", "capitals"])
def test_copied_title_byline_and_date_become_fields(top):
    article = article_from_text(f"{top}\n\n{BODY}", "strike")
    assert (article.title, article.author, article.published) == (STRIKE, "María José Fernández", "2025-10-24")
    assert article.text == BODY


@pytest.mark.parametrize("byline,author,outlet", [
    ("By Jane Doe and John Roe", "Jane Doe and John Roe", ""),
    ("By Jane Doe, Reuters", "Jane Doe", "Reuters"),
    ("By Anna Keller and Tom Reyes, Reuters", "Anna Keller and Tom Reyes", "Reuters"),
    ("By Anna Keller, The Harbour Times", "Anna Keller", "The Harbour Times"),
    ("By Anna Keller, Associated Press", "Anna Keller", "Associated Press"),
    ("By Jane Doe, John Roe and Ann Poe", "Jane Doe, John Roe and Ann Poe", ""),
    ("By Jane Doe, John Roe", "Jane Doe, John Roe", ""),
    ("By Ana de la Cruz & Luis van Dijk", "Ana de la Cruz & Luis van Dijk", ""),
])
def test_byline_forms_keep_every_name_and_an_outlet_at_the_end(byline, author, outlet):
    article = article_from_text(f"Harbour cranes idle\n{byline}\n2025-10-24\n\n{BODY}", "k")
    assert (article.title, article.author, article.outlet, article.published) == (
        "Harbour cranes idle", author, outlet, "2025-10-24")


def test_a_title_line_set_off_by_a_blank_line_is_not_read_twice():
    article = article_from_text(f"Harbour cranes idle in Valparaíso\n\n{BODY}", "k")
    assert article.title == "Harbour cranes idle in Valparaíso" and article.text == BODY


@pytest.mark.parametrize("top", ["WASHINGTON —", "Dockworkers voted on Friday.", "Strike"])
def test_a_first_line_that_is_no_headline_stays_in_the_body(top):
    article = article_from_text(f"{top}\n\n{BODY}", "k")
    assert article.text.startswith(top)


def test_title_with_only_a_date_line_takes_the_date():
    article = article_from_text(f"Harbour cranes idle\n24 October 2025\n{BODY}", "k")
    assert (article.title, article.author, article.published) == ("Harbour cranes idle", "", "2025-10-24")
    assert article.text == BODY


@pytest.mark.parametrize("text", [
    "Man Shot By Police Officer In Denver\nThe man was taken to hospital, police said.",
    "By the time the strike ended, workers had lost a month of pay.\nOctober 24, 2025\nMore.",
    "The port reopened on Friday, the union said.\nBy Jane Doe\nIt had been shut for weeks.",
])
def test_sentences_and_headlines_with_by_are_left_in_the_body(text):
    article = article_from_text(text, "k")
    assert article.author == "" and article.text.startswith(text.split("\n", 1)[0])


def test_explicit_headers_any_case_with_a_printed_date():
    article = article_from_text(
        "TITLE: Harbour cranes idle\nauthor: Ana Ruiz\nPublished: Oct. 24, 2025\nurl: https://example.org/c\n"
        "Outlet: Port Gazette\n\n" + BODY, "k")
    assert (article.title, article.author, article.published, article.url, article.outlet) == (
        "Harbour cranes idle", "Ana Ruiz", "2025-10-24", "https://example.org/c", "Port Gazette")
    assert article.text == BODY


def test_an_unreadable_published_header_is_kept_as_written():
    article = article_from_text("Title: Cranes\nPublished: last autumn\n\n" + BODY, "k")
    assert article.published == "last autumn"


@pytest.mark.parametrize("line,iso", [
    ("October 24, 2025", "2025-10-24"),
    ("24 October 2025", "2025-10-24"),
    ("2025-10-24", "2025-10-24"),
    ("2025-10-24T10:32:00Z", "2025-10-24"),
    ("Oct. 24, 2025 10:32 AM ET", "2025-10-24"),
    ("Updated 3:04 PM EDT, Fri October 24, 2025", "2025-10-24"),
    ("Friday, 24th of October 2025", "2025-10-24"),
    ("Sept. 3, 2024 at 10 a.m.", "2024-09-03"),
    ("Published Oct 1, 2025 | Updated Oct 2, 2025", "2025-10-01"),
    ("May Day rally draws thousands", ""),
    ("On October 24, 2025 the port reopened", ""),
    ("February 30, 2025", ""),
    ("24/10/2025", ""),  # day and month order is ambiguous in numbers: not guessed
])
def test_date_lines_read_as_iso_dates(line, iso):
    assert date_line_iso(line) == iso


def test_pasted_glued_top_splits_like_a_file():
    article = article_from_text(f"{STRIKE} By María José Fernández October 24, 2025\n{BODY}", "p",
                                title_from_first_line=True)
    assert (article.title, article.author, article.published) == (STRIKE, "María José Fernández", "2025-10-24")


def test_markdown_heading_is_the_title(tmp_path):
    path = tmp_path / "port.md"
    path.write_text("# Port reopens\n\nThe port of Callao reopened on Monday.", encoding="utf-8")
    [article] = load_article_file(path)
    assert (article.title, article.text) == ("Port reopens", "The port of Callao reopened on Monday.")


# -- encodings ---------------------------------------------------------------------

@pytest.mark.parametrize("encoding,name", [("cp1252", "Windows-1252"), ("latin-1", "Windows-1252"),
                                           ("utf-16", "UTF-16")])
def test_legacy_encoded_file_is_decoded_and_says_how(tmp_path, encoding, name):
    path = tmp_path / "valparaiso.txt"
    path.write_bytes(f"{STRIKE}\nBy María José Fernández\n\nDockers in Bogotá’s port agreed.".replace(
        "’", "'" if encoding == "latin-1" else "’").encode(encoding))
    [article] = load_article_file(path)
    assert (article.title, article.author, article.decoded_as) == (STRIKE, "María José Fernández", name)
    assert "Bogotá" in article.text


def test_utf8_file_with_a_bom_names_no_encoding(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes("Title: Café\n\nThe café reopened.".encode("utf-8-sig"))
    [article] = load_article_file(path)
    assert (article.title, article.decoded_as) == ("Café", "")


# -- titles for articles that have none ------------------------------------------

def test_long_lead_is_cut_where_its_main_clause_ends():
    lead = ("The US has placed sanctions on Colombia's left-wing president, Gustavo Petro, accusing him of "
            "failing to curb drug trafficking.")
    assert derive_title(lead) == "The US has placed sanctions on Colombia's left-wing president, Gustavo Petro"


def test_short_lead_sentence_is_the_title_and_abbreviations_do_not_end_it():
    assert derive_title("Mr. Smith met the U.S. envoy. They spoke for an hour.") == "Mr. Smith met the U.S. envoy."


def test_lead_without_a_clause_break_is_cut_with_an_ellipsis():
    title = derive_title("word " * 60)
    assert title.endswith("…") and len(title) <= 121


def test_bundled_seeds_get_whole_clause_titles_and_keep_their_text():
    titles = []
    for path in seed_files():
        [article] = load_article_file(path)
        assert path.read_text(encoding="utf-8").startswith(article.text)
        assert not article.title.endswith(("…", ",")) and article.author == "" and article.published == ""
        titles.append(article.title)
    assert titles == [
        "Colombian President Gustavo Petro has strongly rejected U.S. sanctions targeting him, his family, "
        "and key allies",
        "The US has placed sanctions on Colombia's left-wing president, Gustavo Petro",
    ]
