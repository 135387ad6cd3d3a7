"""Plain result objects the command layer returns and the front ends render."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from coveragebot.index.text.wording import counted, sentence


@dataclass(frozen=True)
class ArticleRef:
    """What a source line needs to say about an article."""

    id: int
    key: str
    title: str
    outlet: str = ""
    author: str = ""
    url: str = ""
    published: str = ""


@dataclass(frozen=True)
class Hit:
    """A passage quoted from an article, with the spans of matched query words."""

    passage_id: int
    text: str
    article: ArticleRef
    position: int
    score: float = 0.0
    highlights: tuple[tuple[int, int], ...] = ()


def hit_json(hit: Hit) -> dict[str, Any]:
    """A passage as the --json answers show it."""
    return {
        "passage_id": hit.passage_id, "text": hit.text, "position": hit.position,
        "score": round(hit.score, 4), "highlights": [list(h) for h in hit.highlights],
        "article": asdict(hit.article),
    }


@dataclass(frozen=True)
class Answer:
    """Base of every answer: what the query log records about it."""

    command: str

    @property
    def result_ids(self) -> list[int]:
        return []

    @property
    def result_count(self) -> int:
        return len(self.result_ids)

    @property
    def succeeded(self) -> bool:
        """True when the command did what was asked; the query log's `ok`."""
        return True

    @property
    def problem(self) -> str:
        """Why the command did not do what was asked, for the query log; '' when it did."""
        return ""

    def to_json(self) -> dict[str, Any]:
        data = asdict(self)
        data["result_count"] = self.result_count
        return data


@dataclass(frozen=True)
class Notice(Answer):
    """A one-line reply: usage, refusal, error, or information."""

    level: str = "info"  # usage | refusal | error | info | ok
    text: str = ""
    # For the query log: False when the bot failed or the line was no command; a usage
    # hint or a refusal is the bot working as meant, so it is not counted as a failure.
    ok: bool = True

    @property
    def succeeded(self) -> bool:
        """True when the command did what was asked (not a usage hint, refusal or error)."""
        return self.level in {"info", "ok"} and self.ok

    @property
    def problem(self) -> str:
        return "" if self.succeeded else f"{self.level}: {self.text}"

    def to_json(self) -> dict[str, Any]:
        # A script reading --json asks "did it work?": a usage error or a refusal did not.
        return {"command": self.command, "level": self.level, "text": self.text,
                "ok": self.succeeded, "result_count": self.result_count}


@dataclass(frozen=True)
class NamedArticles:
    """Articles whose byline, outlet or title holds the searched words, not their passages.

    `field` is `author`, `outlet`, `title` or `byline` (the words spread over several);
    `name` is how the articles print it (`Fergus Jensen`), `filter` the search that lists
    their passages (`author:"Fergus Jensen"`), or '' when no filter names them.
    """

    field: str
    name: str
    articles: tuple[ArticleRef, ...]
    filter: str = ""

    def line(self, prefix: str = "!", limit: int = 5) -> str:
        """`2 articles by Fergus Jensen: ‘Title’ (#3), ‘Title’ (#4).`, with how to list their passages."""
        count = counted(len(self.articles), "article")
        what = {"author": f"by {self.name}", "outlet": f"from {self.name}",
                "title": f"with “{self.name}” in the title"}.get(self.field, f"naming “{self.name}” in their byline")
        shown = ", ".join(f"‘{a.title}’ (#{a.id})" for a in self.articles[:limit])
        more = f" and {len(self.articles) - limit} more" if len(self.articles) > limit else ""
        step = f" `{prefix}search {self.filter}` lists their passages." if self.filter else ""
        return f"{count} {what}: {shown}{more}.{step}"

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "name": self.name, "filter": self.filter,
                "articles": [asdict(a) for a in self.articles]}


@dataclass(frozen=True)
class SearchAnswer(Answer):
    query: str = ""
    terms: tuple[str, ...] = ()
    hits: tuple[Hit, ...] = ()
    suggestions: tuple[str, ...] = ()
    # For an empty answer: the nearest search that finds something, or what to change.
    next_step: str = ""
    # Articles the words name in their title, author or outlet: said apart from the passages.
    named: tuple[NamedArticles, ...] = ()
    # True when more passages matched than the answer holds (it holds the best ones).
    more: bool = False
    prefix: str = "!"

    @property
    def result_ids(self) -> list[int]:
        return [h.passage_id for h in self.hits]

    def count_line(self) -> str:
        """What was found: `17 passages for “x”:`, or the best ones when more matched."""
        if self.more:
            return f"The best {len(self.hits)} passages for “{self.query}” (more match; add words to narrow it):"
        return f"{counted(len(self.hits), 'passage')} for “{self.query}”:"

    def named_lines(self) -> list[str]:
        return [n.line(self.prefix) for n in self.named]

    def to_json(self) -> dict[str, Any]:
        return {
            "command": self.command, "query": self.query, "terms": list(self.terms),
            "result_count": self.result_count, "more": self.more, "suggestions": list(self.suggestions),
            "next_step": self.next_step, "named_articles": [n.to_json() for n in self.named],
            "results": [hit_json(h) for h in self.hits],
        }


@dataclass(frozen=True)
class SourceRow:
    article: ArticleRef
    sentences: int
    added_at: str = ""
    # The story's version: 1 until the story is re-added with changes.
    version: int = 1


@dataclass(frozen=True)
class SourcesAnswer(Answer):
    sources: tuple[SourceRow, ...] = ()

    @property
    def result_ids(self) -> list[int]:
        return [s.article.id for s in self.sources]

    def to_json(self) -> dict[str, Any]:
        return {
            "command": self.command, "result_count": self.result_count,
            "results": [
                {**asdict(s.article), "sentences": s.sentences, "added_at": s.added_at, "version": s.version}
                for s in self.sources
            ],
        }


@dataclass(frozen=True)
class ContextAnswer(Answer):
    passage_id: int = 0
    article: ArticleRef | None = None
    passages: tuple[Hit, ...] = ()
    version: int = 1

    @property
    def result_ids(self) -> list[int]:
        return [h.passage_id for h in self.passages]

    def to_json(self) -> dict[str, Any]:
        return {
            "command": self.command, "passage_id": self.passage_id,
            "article": asdict(self.article) if self.article else None,
            "version": self.version, "result_count": self.result_count,
            "results": [hit_json(h) for h in self.passages],
        }


@dataclass(frozen=True)
class CommandHelp:
    name: str
    aliases: tuple[str, ...]
    usage: str
    summary: str
    example: str
    admin: bool = False


@dataclass(frozen=True)
class HelpAnswer(Answer):
    commands: tuple[CommandHelp, ...] = ()
    prefix: str = "!"

    def sections(self) -> list[tuple[str, tuple[CommandHelp, ...]]]:
        """Everyone's commands, then the moderators' under one heading."""
        everyone = tuple(c for c in self.commands if not c.admin)
        moderators = tuple(c for c in self.commands if c.admin)
        return [("", everyone)] + ([(MODERATOR_HEADING, moderators)] if moderators else [])


MODERATOR_HEADING = "Moderator commands (Manage Server permission or a moderator role)"


@dataclass(frozen=True)
class StatementHit:
    speaker: str
    role: str
    text: str
    kind: str
    cue: str
    passage: Hit
    score: float = 0.0
    # The stored row, for `!fix`; it changes on !reindex, the fix itself does not.
    statement_id: int = 0
    mention: str = ""  # the speaker as the sentence wrote them when not by name: "he", "the senator"

    def to_json(self) -> dict[str, Any]:
        return {
            "statement_id": self.statement_id,
            "speaker": self.speaker,
            "mention": self.mention,
            "role": self.role,
            "text": self.text,
            "kind": self.kind,
            "cue": self.cue,
            "passage": self.passage.text,
            "passage_id": self.passage.passage_id,
            "article": asdict(self.passage.article),
        }


@dataclass(frozen=True)
class QuotesAnswer(Answer):
    person: str = ""
    topic: str = ""
    speaker: str = ""
    candidates: tuple[str, ...] = ()
    statements: tuple[StatementHit, ...] = ()
    # Names that also fit the query but whose statements are not shown.
    others: tuple[str, ...] = ()
    # When nobody matched: speakers spelt alike, and passages that name the person anyway.
    suggestions: tuple[str, ...] = ()
    mentions: int = 0
    # What the speaker shown is, when not a person: "outlet", "document", "group", ...
    speaker_kind: str = "person"
    # A name several identities share ("Clinton"): the answer asks which, with their counts.
    choices: tuple[Person, ...] = ()
    # Statements in all when only the first part is listed ([quotes] max_listed); 0 = all listed.
    total: int = 0

    @property
    def counted_text(self) -> str:
        """How many statements are listed, and of how many: `newest 200 of 19,234 statements`."""
        if self.total > len(self.statements):
            first = "best" if self.topic else "newest"
            return f"{first} {len(self.statements):,} of {counted(self.total, 'statement')}"
        return counted(len(self.statements), "statement")

    @property
    def speaker_label(self) -> str:
        """What the speaker shown is, when not a person: " (news outlet)"."""
        return Person(self.speaker, 0, 0, kind=self.speaker_kind).label if self.speaker else ""

    @property
    def result_ids(self) -> list[int]:
        return [s.passage.passage_id for s in self.statements]

    @property
    def speakers(self) -> tuple[str, ...]:
        """The people whose statements are shown, in the order shown."""
        return tuple(dict.fromkeys(s.speaker for s in self.statements))

    def empty_text(self, prefix: str = "!") -> str:
        """What to say when no statement is shown, with the nearest next step."""
        topic = f" about “{self.topic}”" if self.topic else ""
        if self.choices:
            return self.which_text(prefix)
        if self.speaker:  # the person is quoted, just not on this topic
            return (f"{self.speaker} is quoted, but not about “{self.topic}”. "
                    f"Try `{prefix}quotes {self.person}` or `{prefix}search {self.person} {self.topic}`.")
        parts = [f"No statements by “{self.person}”{topic} in the coverage."]
        if self.suggestions:
            parts.append("Did you mean " + " or ".join(f"`{prefix}quotes {s}`" for s in self.suggestions) + "?")
        if self.mentions:
            many = "" if self.mentions < 50 else " or more"
            parts.append(f"“{self.person}” is mentioned in {self.mentions}{many} passage{'s' if self.mentions != 1 else ''}"
                         f" but never quoted: `{prefix}search {self.person}`.")
        if not self.suggestions and not self.mentions:
            parts.append(f"`{prefix}people` lists who is quoted.")
        return " ".join(parts)

    def which_text(self, prefix: str = "!") -> str:
        """The question an ambiguous name gets: which one, with each one's counts."""
        shown = self.choices[:8]
        listed = "; ".join(f"{c.name}{c.label} ({c.statements} in {c.articles} article{'s' if c.articles != 1 else ''})"
                           for c in shown)
        more = f"; and {len(self.choices) - 8} more" if len(self.choices) > 8 else ""
        about = f" about {self.topic}" if self.topic else ""
        return (f"“{self.person}” could be {len(self.choices)} speakers: {listed}{more}. "
                f"Which one? e.g. `{prefix}quotes {shown[0].name}{about}`.")

    def others_text(self, prefix: str = "!") -> str:
        """One line naming the other people the name could mean."""
        if not self.others:
            return ""
        shown = ", ".join(self.others[:8]) + (f" and {len(self.others) - 8} more" if len(self.others) > 8 else "")
        return sentence(f"Also matching “{self.person}”: {shown}") + f" Ask `{prefix}quotes <full name>` for one of them."

    def to_json(self) -> dict[str, Any]:
        return {
            "command": self.command, "person": self.person, "topic": self.topic,
            "speaker": self.speaker, "speaker_kind": self.speaker_kind, "candidates": list(self.candidates),
            "choices": [{**asdict(c), "aliases": list(c.aliases)} for c in self.choices],
            "speakers": list(self.speakers), "others": list(self.others),
            "suggestions": list(self.suggestions), "mentions": self.mentions,
            "result_count": self.result_count, "total": max(self.total, self.result_count),
            "results": [s.to_json() for s in self.statements],
        }


@dataclass(frozen=True)
class Person:
    """One identity of the people registry: a person, or another kind of source."""

    name: str
    statements: int
    articles: int
    aliases: tuple[str, ...] = ()
    kind: str = "person"  # person, group, organization, outlet, document, anonymous, unidentified

    @property
    def label(self) -> str:
        """What the source is, beside its name, when it is not a person: " (news outlet)"."""
        label = "" if self.kind == "person" else SOURCE_LABELS.get(self.kind, self.kind)
        return f" ({label})" if label else ""


# The words a kind of source is shown with; "speaker not identified" says it in its name.
SOURCE_LABELS = {
    "group": "group of people", "organization": "organization", "outlet": "news outlet",
    "document": "document", "anonymous": "anonymous source", "unidentified": "",
}


@dataclass(frozen=True)
class PeopleAnswer(Answer):
    people: tuple[Person, ...] = ()
    kind: str = ""  # the `kind:` the list was asked for, or every kind
    # People and other sources in all, when each section lists only its most quoted
    # ([quotes] max_listed); 0 = all listed.
    persons_total: int = 0
    others_total: int = 0

    @property
    def result_count(self) -> int:
        return len(self.people)

    def sections(self) -> list[tuple[str, tuple[Person, ...]]]:
        """(heading, rows): the people quoted, then the other sources, each most quoted first;
        a heading says when its section lists only the most quoted."""
        persons = tuple(p for p in self.people if p.kind == "person")
        others = tuple(p for p in self.people if p.kind != "person")
        heading = f"Sources: {SOURCE_LABELS.get(self.kind, self.kind)}" if self.kind and self.kind != "person" else "Other sources"
        out = []
        for h, rows, total in (("Who is quoted", persons, self.persons_total), (heading, others, self.others_total)):
            if rows:
                out.append((f"{h} (the {len(rows):,} most quoted of {total:,})" if total > len(rows) else h, rows))
        return out


@dataclass(frozen=True)
class AgentHit:
    agent: str
    action: str
    target: str
    support: int
    articles: int
    evidence: tuple[Hit, ...] = ()
    mentions: tuple[str, ...] = ()  # per evidence: the agent as written there ("he"), or ""
    # asserted, or how else its evidence tells it: negated, hypothetical, future, requested,
    # attempted, question (index.who.factuality); one per evidence in `factualities`.
    factuality: str = "asserted"
    factualities: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # per evidence: who tells it when it is reported speech, or ""
    agent_class: str = ""  # "thing" for an inanimate doer ("the storm"); "" for people and bodies

    @property
    def shown(self) -> str:
        """The agent with its first mention as written: `Barack Obama (he)`."""
        mention = self.mentions[0] if self.mentions else ""
        return f"{self.agent} ({mention})" if mention and mention != self.agent else self.agent

    @property
    def counts(self) -> str:
        """What the agent rests on, as both front ends print it: `3 sentences, 2 articles`."""
        text = f"{counted(self.support, 'sentence')}, {counted(self.articles, 'article')}"
        if len(self.evidence) < self.support:
            text += f"; the first {len(self.evidence)} shown"
        return text

    @property
    def thing_note(self) -> str:
        """` (a thing, not a person)` for an inanimate doer, else nothing."""
        return " (a thing, not a person)" if self.agent_class == "thing" else ""

    def to_json(self) -> dict[str, Any]:
        best = self.evidence[0] if self.evidence else None
        return {
            "agent": self.agent, "action": self.action, "target": self.target,
            "support": self.support, "articles": self.articles,
            "passage": best.text if best else "",
            "passage_id": best.passage_id if best else None,
            "article": asdict(best.article) if best else None,
            "evidence": [
                {"passage": h.text, "passage_id": h.passage_id, "article": asdict(h.article),
                 "mention": self.mentions[i] if i < len(self.mentions) else "",
                 "factuality": self.factualities[i] if i < len(self.factualities) else self.factuality,
                 "according_to": self.sources[i] if i < len(self.sources) else ""}
                for i, h in enumerate(self.evidence)
            ],
            "factuality": self.factuality,
            "agent_class": self.agent_class,
        }


@dataclass(frozen=True)
class WhoAnswer(Answer):
    query: str = ""
    agents: tuple[AgentHit, ...] = ()
    # The second part: agents of the same action told as refused, planned, demanded,
    # tried, supposed or asked about, never as done (empty when the setting hides them).
    also_reported: tuple[AgentHit, ...] = ()

    @property
    def result_ids(self) -> list[int]:
        return [h.passage_id for a in self.agents for h in a.evidence[:1]]

    @property
    def result_count(self) -> int:
        return len(self.agents)

    def to_json(self) -> dict[str, Any]:
        return {
            "command": self.command, "query": self.query, "result_count": self.result_count,
            # Asserted agents first; then, each marked by its `factuality`, the second part.
            "results": [a.to_json() for a in (*self.agents, *self.also_reported)],
            "asserted_count": len(self.agents),
        }


@dataclass(frozen=True)
class AddOutcome:
    """What happened to one submitted article or item."""

    status: str  # added | updated (a new version of a stored story) | duplicate | failed
    message: str
    article: ArticleRef | None = None
    sentences: int = 0
    statements: int = 0
    speakers: int = 0


@dataclass(frozen=True)
class AddAnswer(Answer):
    outcomes: tuple[AddOutcome, ...] = field(default_factory=tuple)

    @property
    def result_ids(self) -> list[int]:
        return [o.article.id for o in self.outcomes if o.status in ("added", "updated") and o.article]

    @property
    def succeeded(self) -> bool:
        # The same rule as the exit code: any refused item makes the add a refusal.
        return all(o.status != "failed" for o in self.outcomes)

    @property
    def problem(self) -> str:
        return "; ".join(f"refusal: {o.message}" for o in self.outcomes if o.status == "failed")

    def to_json(self) -> dict[str, Any]:
        data = super().to_json()
        data["results"] = data["outcomes"]  # the list key every answer uses
        return data


@dataclass(frozen=True)
class RemoveAnswer(Answer):
    article: ArticleRef | None = None
    sentences: int = 0

    @property
    def result_ids(self) -> list[int]:
        return [self.article.id] if self.article else []


@dataclass(frozen=True)
class StatsAnswer(Answer):
    """Figures from the query log: `view` is overview, gaps or export (index/stats.py)."""

    since_days: int = 7
    figures: dict[str, Any] = field(default_factory=dict)
    chart_png: bytes | None = None
    csv: str | None = None
    view: str = "overview"

    @property
    def result_count(self) -> int:
        return int(self.figures.get("queries", 0))

    def to_json(self) -> dict[str, Any]:
        return {"command": self.command, "view": self.view, "since_days": self.since_days,
                "figures": self.figures, "result_count": self.result_count}
