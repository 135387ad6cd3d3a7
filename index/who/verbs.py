"""Verb lexicon for `!who`: which verbs a noun names, irregular verb forms, light verbs.

The tables are the pipeline's own lemmatizer lookups (WordNet's verb list and its
irregular forms), copied into `verb_tables.json` so that a question loads a 150 KB
file instead of spaCy; `python -m coveragebot.index.who.verbs` writes the copy again from the
installed model, and a test checks that the two agree. Nothing here parses text.
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

from coveragebot.index.text.analyzer import stem

TABLES = Path(__file__).with_name("verb_tables.json")

# Verbs whose object names the event their subject carries out or makes known
# ("imposed sanctions", "confirmed the deployment"): the object noun's stem becomes
# a key, so `!who sanctioned` finds them. Reversals (lift, reject, deny) are absent.
DOING_VERBS = frozenset(
    """impose place put levy slap carry conduct launch make take give stage mount
    issue apply undertake perform execute implement enforce reach strike sign hold
    begin start complete expand extend tighten deliver file pursue initiate""".split()
)
REPORTING_VERBS = frozenset(
    """announce confirm declare unveil order approve authorize authorise introduce
    finalize finalise""".split()
)
LIGHT_VERBS = DOING_VERBS | REPORTING_VERBS

# Noun endings that derive from a verb, with the verb endings to try
# ("suspension" -> "suspend", "defiance" -> "defy", "seizure" -> "seize").
_DERIVATIONS = (
    ("ication", ("y",)), ("uction", ("uce",)), ("mption", ("me",)), ("ution", ("ute", "ve")),
    ("ssion", ("ss", "t", "de")), ("sion", ("d", "de", "se", "t")), ("ction", ("ct",)),
    ("ption", ("pt",)), ("ation", ("e", "", "ate")), ("ition", ("ite", "e", "")),
    ("tion", ("te", "e", "")), ("iance", ("y",)), ("ance", ("", "e")), ("ence", ("", "e")),
    ("ment", ("",)), ("ial", ("y",)), ("al", ("", "e")), ("ure", ("e", "")),
    ("ery", ("", "e")), ("age", ("", "e")), ("ing", ("", "e")),
)


@functools.lru_cache(maxsize=1)
def _lemma_tables() -> tuple[frozenset[str], dict[str, list[str]]]:
    data = json.loads(TABLES.read_text(encoding="utf-8"))
    return frozenset(data["verbs"]), data["irregular"]


def model_lemma_tables() -> dict[str, object]:
    """The verb tables as the installed spaCy model's lemmatizer holds them (loads spaCy)."""
    from coveragebot.index.text.pipeline import load_pipeline

    lookups = load_pipeline().get_pipe("lemmatizer").lookups
    irregular = dict(lookups.get_table("lemma_exc")["verb"])
    return {"verbs": sorted(lookups.get_table("lemma_index")["verb"]),
            "irregular": {form: list(irregular[form]) for form in sorted(irregular)}}


@functools.lru_cache(maxsize=8192)
def verbs_of_noun(noun: str) -> tuple[str, ...]:
    """Verbs a noun lemma names the event of: `suspension` -> (`suspend`,)."""
    verbs, _ = _lemma_tables()
    noun = noun.lower()
    found = [noun] if noun in verbs else []
    for ending, replacements in _DERIVATIONS:
        if noun.endswith(ending) and len(noun) > len(ending) + 2:
            base = noun[: -len(ending)]
            found += [base + r for r in replacements if base + r in verbs]
            break
    return tuple(dict.fromkeys(found))


def is_verb(lemma: str) -> bool:
    """`lemma` is a verb in the lemmatizer's tables."""
    return lemma in _lemma_tables()[0]


def verb_lemma(word: str) -> str:
    """Base form of a folded verb form, irregulars included (`fought` -> `fight`)."""
    _, irregular = _lemma_tables()
    forms = irregular.get(word)
    return forms[0] if forms else word


def event_stem(word: str) -> str:
    """Stem of the verb a noun form names (`suspension` -> `suspend`), else ''."""
    verbs, _ = _lemma_tables()
    if word in verbs or verb_lemma(word) != word:
        return ""
    for form in (word, word[:-1] if word.endswith("s") else ""):
        derived = verbs_of_noun(form) if form else ()
        if derived:
            return stem(derived[0])
    return ""


if __name__ == "__main__":
    TABLES.write_text(json.dumps(model_lemma_tables(), ensure_ascii=False, separators=(",", ":")) + "\n",
                      encoding="utf-8")
