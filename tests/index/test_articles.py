"""Article loaders: headers, JSON fields, bylines, refusals."""

from __future__ import annotations

import json

import pytest

from index.articles import ArticleError, article_from_text, articles_from_bytes, load_article_file, strip_bylines
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
    ("latin1.txt", "Bogotá".encode("latin-1"), "not UTF-8"),
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
