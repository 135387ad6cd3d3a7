"""The `!verify` answer: a verdict, the printed words, who said them and where."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from coveragebot.index.answers import Answer, Hit, hit_json
from coveragebot.index.verify.align import Difference

VERBATIM, CLOSE, NOT_FOUND = "verbatim", "close", "not found"


@dataclass(frozen=True)
class VerifyAnswer(Answer):
    """Where the words were printed (`verbatim`), what was printed instead (`close`),
    or the nearest passages that are not a match (`not found`)."""

    words: str = ""
    person: str = ""
    verdict: str = NOT_FOUND
    text: str = ""  # the printed words that match
    differences: tuple[Difference, ...] = ()
    passage: Hit | None = None  # the passage holding them; highlights mark the printed words
    speaker: str = ""  # whose words the coverage says they are ('' for no one's)
    speaker_kind: str = ""
    statement_id: int = 0
    statement: str = ""  # the whole statement, when the words are only part of it
    kind: str = ""  # direct | partial | indirect (reported speech)
    cue: str = ""
    partial: bool = False
    # A person was named and the words were printed as someone else's.
    someone_else: bool = False
    articles: tuple[Hit, ...] = ()  # one passage per article that printed them, oldest first
    context: tuple[Hit, ...] = ()  # the passage with its neighbours
    nearest: tuple[Hit, ...] = ()  # for `not found`: passages sharing the rare words, not a match

    @property
    def found(self) -> bool:
        return self.verdict != NOT_FOUND

    @property
    def reported(self) -> bool:
        """The statement is reported speech (an indirect statement), not a quotation."""
        return self.kind == "indirect"

    @property
    def result_ids(self) -> list[int]:
        return [h.passage_id for h in self.articles] if self.found else []

    def to_json(self) -> dict[str, Any]:
        return {
            "command": self.command, "words": self.words, "person": self.person, "verdict": self.verdict,
            "speaker": self.speaker, "speaker_kind": self.speaker_kind, "statement_id": self.statement_id or None,
            "text": self.text, "differences": [d.to_json() for d in self.differences],
            "article": asdict(self.passage.article) if self.found and self.passage else None,
            "passage_id": self.passage.passage_id if self.found and self.passage else None,
            "statement": self.statement, "kind": self.kind, "reported": self.reported, "partial": self.partial,
            "someone_else": self.someone_else, "result_count": self.result_count,
            "articles": [hit_json(h) for h in self.articles],
            "context": [hit_json(h) for h in self.context],
            "nearest": [hit_json(h) for h in self.nearest],
        }
