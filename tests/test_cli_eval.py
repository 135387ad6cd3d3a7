"""`coveragebot eval quotes|who` as a user runs it: scores on the repository's gold, and one
line saying what is missing (a gold file, an article folder, textacy) instead of a traceback."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import CORPUS, GOLD, SEEDS

ARTICLES = [str(SEEDS), str(CORPUS)]


def coveragebot_eval(*args: str, without_textacy: bool = False) -> subprocess.CompletedProcess:
    """Run `coveragebot eval ...`; optionally as if textacy (the `eval` extra) were not installed."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGEBOT_")}
    # A None entry in sys.modules makes `import textacy` fail as it does where it is not installed.
    hide = "import sys; sys.modules['textacy'] = None; " if without_textacy else "import sys; "
    code = hide + "from coveragebot.bot.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, "eval", *args], capture_output=True, text=True, env=env,
                          timeout=300)


def assert_one_line_refusal(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode == 1, result.stdout + result.stderr
    line = result.stderr.strip()
    assert "\n" not in line and "Traceback" not in line and line.startswith("coveragebot: "), line
    for word in words:
        assert word in line, line


@pytest.mark.parametrize("task", ["quotes", "who"])
def test_a_missing_gold_file_is_one_line_naming_it(task, tmp_path):
    missing = tmp_path / "shared" / "eval" / "dev-gold.json"
    result = coveragebot_eval(task, "--gold", str(missing), "--articles", *ARTICLES)
    assert_one_line_refusal(result, "no gold file", str(missing))


def test_a_gold_file_that_is_not_json_is_one_line(tmp_path):
    bad = tmp_path / "gold.json"
    bad.write_text("{not json", encoding="utf-8")
    assert_one_line_refusal(coveragebot_eval("who", "--gold", str(bad), "--articles", *ARTICLES), "not readable JSON")


def test_a_missing_article_folder_is_one_line_naming_it(tmp_path):
    result = coveragebot_eval("who", "--gold", str(GOLD), "--articles", str(SEEDS), str(tmp_path / "corpus"))
    assert_one_line_refusal(result, "no article folder", str(tmp_path / "corpus"))


def test_eval_quotes_without_textacy_says_which_extra_to_install():
    result = coveragebot_eval("quotes", "--gold", str(GOLD), "--articles", *ARTICLES, without_textacy=True)
    assert_one_line_refusal(result, "textacy", 'pip install "coveragebot[eval]"')


def test_eval_who_needs_nothing_beyond_the_plain_install():
    result = coveragebot_eval("who", "--gold", str(GOLD), "--articles", *ARTICLES, "--json", without_textacy=True)
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["items"] >= 10 and figures["top1"] >= 0.8


def test_eval_quotes_scores_ours_beside_textacy():
    result = coveragebot_eval("quotes", "--gold", str(GOLD), "--articles", *ARTICLES, "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["timing"]["articles"] == 4
    assert figures["ours"]["all"]["gold"] == figures["textacy"]["all"]["gold"] > 0
    assert figures["ours"]["direct+partial"]["f1"] > figures["textacy"]["direct+partial"]["f1"]


VERIFY_SAMPLE = GOLD.parent / "verify"


def test_eval_verify_finds_true_quotes_flags_changed_ones_and_refuses_unrelated():
    result = coveragebot_eval("verify", "--gold", str(VERIFY_SAMPLE / "gold-dev.json"),
                              "--articles", str(VERIFY_SAMPLE), "--count", "40", "--json")
    assert result.returncode == 0, result.stderr
    figures = {c["items"]: c for c in json.loads(result.stdout)["classes"]}
    assert figures["true quotes"]["n"] == figures["one word changed"]["n"] == 40
    assert figures["unrelated sentences"]["n"] >= 30
    for name in ("true quotes", "one word changed", "unrelated sentences"):
        assert figures[name]["recall"] >= 0.95 and figures[name]["precision"] >= 0.95, figures[name]


def test_eval_verify_on_a_gold_file_without_attributions_is_one_line():
    assert_one_line_refusal(coveragebot_eval("verify", "--gold", str(GOLD), "--articles", str(VERIFY_SAMPLE),
                                             "--unrelated", str(VERIFY_SAMPLE / "gold-train.json")),
                            "no PolNeAR attributions")
