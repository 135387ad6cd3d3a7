"""benchmarks/engines.py and benchmarks/commands.py run end to end on a small corpus
(figures, not timings, are checked)."""

from __future__ import annotations

import math

import pytest

from benchmarks import _corpus, commands, engines

SIZE, QUERIES, SPEAKERS = 2_000, 20, 300


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("bench")
    return engines.run_benchmark([SIZE], QUERIES, workdir=workdir, ingest=False, add_rounds=1)


def test_benchmark_reports_figures_for_every_engine(report):
    figures = report["sizes"][str(SIZE)]["engines"]
    assert set(figures) == set(engines.ENGINES)
    for name, f in figures.items():
        assert f["queries"] == QUERIES, name
        for key in ("build_s", "p50_ms", "p95_ms", "restart_s", "peak_rss_mb", "reopened_peak_rss_mb"):
            assert math.isfinite(f[key]) and f[key] > 0, (name, key)
        assert f["p50_ms"] <= f["p95_ms"], name
        assert f["first_hits"] > 0, name


def test_benchmark_reports_the_coveragebot_figures_against_targets(report):
    service = report["service"]
    assert service["search"]["queries"] == QUERIES
    assert service["add_sentences"] == 40
    assert service["concurrent"]["queries"] > 0
    assert service["restart_s"] > 0 and service["peak_rss_mb"] > 0


def test_tables_print_every_engine_beside_the_reference(report, capsys):
    engines.print_tables(report)
    printed = capsys.readouterr().out
    for engine in engines.ENGINES.values():
        assert engine.label in printed
    assert "PASS" in printed or "FAIL" in printed


@pytest.fixture(scope="module")
def small_corpus(tmp_path_factory):
    path = tmp_path_factory.mktemp("corpus") / "corpus.txt"
    return path, _corpus.write_corpus(path, SIZE)


def test_corpus_terms_survive_the_analyzer_unchanged(small_corpus):
    from coveragebot.index.text.analyzer import analyze

    path, _ = small_corpus
    terms = next(_corpus.read_corpus(path))
    assert analyze(_corpus.sentence_text(terms)) == terms
    assert _corpus.LENGTH_MIN <= len(terms) <= _corpus.LENGTH_MAX


@pytest.mark.parametrize("engine", list(engines.ENGINES))
def test_engines_agree_on_the_top_hit_for_a_word_in_one_sentence(engine, small_corpus, tmp_path):
    path, meta = small_corpus
    word = meta["words"][int(next(i for i, df in enumerate(meta["df"]) if df == 1))]
    sentence_id = next(n for n, terms in enumerate(_corpus.read_corpus(path), start=1) if word in terms)
    built = engines.ENGINES[engine].build(path, tmp_path / engine)
    assert built.search([word])[0] == sentence_id


@pytest.fixture(scope="module")
def commands_report(tmp_path_factory):
    return commands.run_benchmark(SIZE, QUERIES, workdir=tmp_path_factory.mktemp("commands"), add_rounds=1,
                                  speakers=SPEAKERS)


def test_commands_store_holds_actions_and_statements_at_the_product_density(commands_report):
    derived = commands_report["derived"]
    # PolNeAR train density: 2.5 actions and 0.2 statements a sentence.
    assert derived["actions"] == round(SIZE * 2.5) and derived["statements"] == round(SIZE / 5)
    assert derived["action_keys"] >= derived["actions"]
    assert commands_report["real"]["actions"] > 0 and commands_report["real"]["statements"] > 0


def test_commands_benchmark_reports_every_command_family(commands_report):
    for family in ("who", "who_every_row", "quotes", "quotes_about", "people", "quotes_export", "people_export",
                   "search", "verify"):
        f = commands_report[family]
        assert f["queries"] == QUERIES, family
        assert 0 < f["p50_ms"] <= f["p95_ms"] <= f["max_ms"], family
    assert commands_report["who"]["answered"] > 0
    assert commands_report["who_every_row"]["differ"] == 0  # the reference ranking agrees
    assert commands_report["quotes"]["answered"] > 0
    assert commands_report["people"]["listed"] > 0
    # A listing holds its first part; the export every row.
    assert commands_report["people_export"]["listed"] >= commands_report["people"]["listed"]
    assert commands_report["quotes_export"]["listed"] > 0
    # A third of the !verify lines are printed words, a third one word off, a third made up.
    assert set(commands_report["verify"]["verdicts"]) <= {"verbatim", "close", "not found"}
    assert commands_report["verify"]["verdicts"].get("verbatim", 0) >= QUERIES // 3 - 1


def test_commands_benchmark_builds_the_registry_over_every_speaker(commands_report):
    derived = commands_report["derived"]
    assert derived["speakers"] == SPEAKERS  # everyone is quoted at least once
    registry = derived["registry"]
    assert registry["misnamed_statements"] == 0
    # Shared surnames and first names: fewer identities than forms, at least one per
    # surname block, and no more people than were made up (plus bare-surname people).
    assert 0 < registry["blocks"] <= registry["identities"] <= derived["forms"]
    for key in ("people", "quotes"):
        cold = commands_report["cold"][key]
        assert cold["median_s"] > 0 and cold["first_line"], key
    old = commands_report["old_clustering"]
    assert old["speakers"] > 0 and old["all_s"] > 0 and old["subsets_s"]


def test_commands_benchmark_times_the_add_and_its_spacy_share(commands_report):
    for add in commands_report["adds"] + commands_report["adds_under_load"]:
        assert 0 < add["parse_s"] <= add["analysis_s"] < add["s"]
        assert 0 < add["registry_s"] < add["s"] - add["analysis_s"]
        assert add["words"] >= commands.ADD_WORDS and add["sentences"] > 0
    assert commands_report["concurrent"]["queries"] > 0


def test_commands_tables_print_pass_or_fail_beside_each_target(commands_report, capsys):
    commands.print_tables(commands_report)
    printed = capsys.readouterr().out
    for line in ("!who <verb>", "!quotes <name> about <topic>", "of which spaCy's parse"):
        assert line in printed
    assert "PASS" in printed or "FAIL" in printed


def test_cold_benchmark_times_every_read_command_in_fresh_processes():
    from benchmarks import cold

    report = cold.measure(runs=1)
    assert set(report["commands"]) == set(cold.COMMANDS)
    for command, figures in report["commands"].items():
        assert 0 < figures["now"]["median_s"] <= figures["now"]["max_s"], command
