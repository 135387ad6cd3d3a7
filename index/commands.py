"""The command layer: `!name argument` parsed in one place, run against the service,
answered with a plain result object, and written to the query log.

The terminal and Discord both call `run`/`execute`; only rendering differs.
"""

from __future__ import annotations

import difflib
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace

from coveragebot.index.answers import (
    AddAnswer,
    Answer,
    CommandHelp,
    HelpAnswer,
    Notice,
    RemoveAnswer,
)
from coveragebot.index.service import NotFound, Service
from coveragebot.index.storage.store import StoreError
from coveragebot.index.text.analyzer import fold
from coveragebot.index.text.wording import counted

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Origin:
    """Who asked, from where; ids are strings so Discord snowflakes stay exact."""

    frontend: str = "cli"
    guild_id: str | None = None
    channel_id: str | None = None
    user_id: str | None = None
    actor: str = "terminal"
    # A script's whole answer (`coveragebot ask --json`): listings are not cut to a first
    # part a reader pages through ([quotes] max_listed).
    export: bool = False

    def listed(self, settings) -> int | None:
        """How many rows a listing answer holds for this asker: all of them for an export."""
        return None if self.export else settings.quotes_max_listed


@dataclass(frozen=True)
class Invocation:
    """A parsed command line."""

    name: str
    argument: str = ""


class CommandError(ValueError):
    """Input that gets a one-line reply instead of an answer."""

    def __init__(self, level: str, text: str) -> None:
        super().__init__(text)
        self.level = level
        self.text = text


Handler = Callable[[Service, str, Origin], Awaitable[Answer]]


@dataclass(frozen=True)
class Command:
    help: CommandHelp
    handler: Handler
    needs_argument: bool = False


COMMANDS: dict[str, Command] = {}
ALIASES: dict[str, str] = {}


def command(name: str, usage: str, summary: str, example: str, aliases: tuple[str, ...] = (),
            admin: bool = False, needs_argument: bool = False):
    """Register a command of the shared layer."""

    def register(handler: Handler) -> Handler:
        COMMANDS[name] = Command(CommandHelp(name, aliases, usage, summary, example, admin),
                                 handler, needs_argument)
        for alias in aliases:
            ALIASES[alias] = name
        return handler

    return register


def resolve_name(name: str) -> str | None:
    name = name.lower()
    return name if name in COMMANDS else ALIASES.get(name)


def parse(text: str, prefix: str = "!") -> Invocation:
    """`!search cocaine production` -> Invocation('search', 'cocaine production')."""
    text = text.strip()
    if not text:
        raise CommandError("usage", f"Type a command, e.g. `{prefix}search sanctions`; `{prefix}help` lists them.")
    if text.startswith(prefix):
        text = text[len(prefix):]
    elif text.startswith("/"):
        text = text[1:]
    head, _, argument = text.partition(" ")
    head = head.strip()
    name = resolve_name(head.split("\n")[0])
    if "\n" in head:
        head, _, rest = head.partition("\n")
        name, argument = resolve_name(head), rest + (" " + argument if argument else "")
    if name is None:
        raise CommandError("usage", unknown_command_hint(head, prefix))
    return Invocation(name, argument.strip())


def unknown_command_hint(name: str, prefix: str = "!") -> str:
    """A suggestion for a mistyped command."""
    shown = name[:40] + ("…" if len(name) > 40 else "")
    close = difflib.get_close_matches(name.lower(), list(COMMANDS) + list(ALIASES), n=1, cutoff=0.6)
    if close:
        return f"Unknown command `{shown}`. Did you mean `{prefix}{resolve_name(close[0])}`?"
    return f"Unknown command `{shown}`. `{prefix}help` lists the commands."


async def execute(service: Service, invocation: Invocation, origin: Origin) -> Answer:
    """Run one command and log it; known failures become a Notice, others re-raise."""
    answer, _ = await execute_logged(service, invocation, origin)
    return answer


async def execute_logged(service: Service, invocation: Invocation, origin: Origin) -> tuple[Answer, int | None]:
    """`execute`, also returning the query-log row id (to mark a failed delivery)."""
    started = time.perf_counter()
    answer: Answer | None = None
    error = ""
    try:
        answer = await _dispatch(service, invocation, origin)
    except CommandError as exc:
        answer = Notice(invocation.name, exc.level, exc.text, ok=exc.level != "error")
    except NotFound as exc:
        answer = Notice(invocation.name, "refusal", str(exc))
    except StoreError as exc:
        # A full, locked or read-only database: say so in one line.
        log.error("command %r: %s", invocation.name, exc)
        answer = Notice(invocation.name, "error", str(exc), ok=False)
    except Exception as exc:
        error = f"{type(exc).__name__}: {exc}"[:500]
        await log_command(service, invocation, origin, None, (time.perf_counter() - started) * 1000, error)
        raise
    latency = (time.perf_counter() - started) * 1000
    log_id = await log_command(service, invocation, origin, answer, latency, error)
    return answer, log_id


async def run(service: Service, text: str, origin: Origin, prefix: str = "!") -> Answer:
    """Parse and execute a command line; unknown or empty input is logged too."""
    text = valid_text(text)
    try:
        invocation = parse(text, prefix)
    except CommandError as exc:
        answer = Notice("unknown", exc.level, exc.text, ok=False)
        await log_command(service, Invocation("unknown", text[:500]), origin, answer, 0.0, "")
        return answer
    try:
        return await execute(service, invocation, origin)
    except Exception:
        incident = uuid.uuid4().hex[:8]
        log.exception("command %r failed (incident %s)", invocation.name, incident)
        return Notice(invocation.name, "error",
                      f"Something went wrong running `{invocation.name}` (incident {incident}).", ok=False)


def valid_text(text: str) -> str:
    """`text` without lone surrogates, which SQLite and stdout refuse.

    A terminal hands over a non-UTF-8 byte as one (surrogateescape); JSON can carry one too.
    """
    return text.encode("utf-8", "replace").decode("utf-8")


async def log_command(service: Service, invocation: Invocation, origin: Origin,
                      answer: Answer | None, latency_ms: float, error: str) -> int | None:
    """One query-log row per command, whatever its outcome."""
    # A usage hint, a refusal and an error are all logged with ok = 0 (and why, in `error`),
    # so !stats counts them apart from answers and never as questions the coverage missed.
    ok = not error and (answer is None or answer.succeeded)
    user_id = origin.user_id
    if user_id and service.settings.privacy_hash_user_ids:
        from coveragebot.index.privacy import hash_id

        user_id = hash_id(user_id, service.settings)
    try:
        return await service.log_query({
            "frontend": origin.frontend, "guild_id": origin.guild_id,
            "channel_id": origin.channel_id, "user_id": user_id,
            "command": invocation.name, "query": valid_text(invocation.argument[:1000]),
            "result_count": answer.result_count if answer else 0,
            "latency_ms": round(latency_ms, 3),
            "result_ids": answer.result_ids[:100] if answer else [],
            "ok": ok, "error": valid_text((error or (answer.problem if answer else ""))[:1000]),
        })
    except Exception:
        log.exception("could not write the query log")
        return None


async def _dispatch(service: Service, invocation: Invocation, origin: Origin) -> Answer:
    spec = COMMANDS[invocation.name]
    argument = invocation.argument
    limit = service.settings.search_max_query_chars
    if spec.needs_argument and not argument.strip():
        raise CommandError("usage", f"Usage: `{spec.help.usage}` — for example `{spec.help.example}`")
    if spec.needs_argument and len(argument) > limit and not spec.help.admin:
        raise CommandError("refusal", f"That query is {len(argument):,} characters; the limit is {limit}.")
    return await spec.handler(service, argument, origin)


# -- the commands ---------------------------------------------------------------

@command("search", "!search <words>",
         'Passages that best match the words, quoted with their sources. Also: "exact phrase", -word, '
         "outlet:Reuters, author:Jensen, since:/until: YYYY[-MM[-DD]], in:<article id or key>.",
         "!search cocaine production", aliases=("find",), needs_argument=True)
async def _search(service: Service, argument: str, origin: Origin) -> Answer:
    if not any(c.isalnum() for c in argument):
        raise CommandError("usage", "Search for words, e.g. `!search sanctions against Petro`.")
    return await service.search(argument)


@command("sources", "!sources", "The articles in the index: id, key, title, outlet, date, sentences.",
         "!sources", aliases=("articles",))
async def _sources(service: Service, argument: str, origin: Origin) -> Answer:
    return await service.sources()


@command("context", "!context <passage id>", "A passage with the sentences around it.",
         "!context 12", needs_argument=True)
async def _context(service: Service, argument: str, origin: Origin) -> Answer:
    number = _id_argument(argument.lstrip("#"), "!context <passage id>")
    return await service.context(number)


@command("who", "!who <action> [target]", "Who did it: agents of an action, each with the sentence that shows it.",
         "!who sanctioned", needs_argument=True)
async def _who(service: Service, argument: str, origin: Origin) -> Answer:
    if not any(c.isalpha() for c in argument):
        raise CommandError("usage", "Ask with a verb, e.g. `!who sanctioned` or `!who sanctioned Benedetti`.")
    return await service.who(argument)


@command("quotes", "!quotes <person> [about <topic>]",
         "What a person said, direct quotes and reported speech, grouped by article, newest first.",
         "!quotes Petro", needs_argument=True)
async def _quotes(service: Service, argument: str, origin: Origin) -> Answer:
    if not any(c.isalpha() for c in argument):
        raise CommandError("usage", "Name a person, e.g. `!quotes Petro` or `!quotes Bessent about cocaine`.")
    return await service.quotes(argument, origin.listed(service.settings))


@command("people", "!people [kind:outlet|group|organization|document|anonymous|unidentified]",
         "Who is quoted, how often, in how many articles: people first, then other sources.", "!people")
async def _people(service: Service, argument: str, origin: Origin) -> Answer:
    from coveragebot.index.people.kinds import KINDS

    wanted = argument.strip().lower()
    kind = wanted.removeprefix("kind:").strip() if wanted else ""
    if kind and kind not in KINDS:
        raise CommandError("usage", "Usage: `!people` or `!people kind:<kind>`, a kind being one of "
                           + ", ".join(f"`{k}`" for k in KINDS) + ".")
    return await service.people(kind, origin.listed(service.settings))


@command("verify", '!verify "<words>" [person]',
         "Were these words printed in the coverage? verbatim (every article, oldest first), close "
         "(the printed words, differences marked) or not found (the nearest passages, not a match).",
         '!verify "Trump doesn’t even know where Colombia is" Petro', needs_argument=True)
async def _verify(service: Service, argument: str, origin: Origin) -> Answer:
    from coveragebot.index.verify.request import VerifyRequestError, parse_verify

    try:
        words, person = parse_verify(argument)
    except VerifyRequestError as exc:
        raise CommandError("usage", str(exc)) from None
    return await service.verify(words, person)


@command("watch", '!watch <person> | "phrase" | list',
         'Post new coverage quoting a person, or printing a "phrase", in this channel, once per article.',
         "!watch Gustavo Petro", admin=True, needs_argument=True)
async def _watch(service: Service, argument: str, origin: Origin) -> Answer:
    from coveragebot.index.watches.manage import WatchError, watch_command

    try:
        return await watch_command(service, argument, origin.guild_id, origin.channel_id, origin.actor)
    except WatchError as exc:
        raise CommandError(exc.level, str(exc)) from None


@command("unwatch", "!unwatch <id>", "Stop a watch (ids in `!watch list`).", "!unwatch 2", admin=True,
         needs_argument=True)
async def _unwatch(service: Service, argument: str, origin: Origin) -> Answer:
    from coveragebot.index.watches.manage import WatchError, unwatch_command

    try:
        return await unwatch_command(service, argument, origin.guild_id, origin.actor)
    except WatchError as exc:
        raise CommandError(exc.level, str(exc)) from None


@command("help", "!help", "This list of commands.", "!help", aliases=("commands",))
async def _help(service: Service, argument: str, origin: Origin) -> Answer:
    entries = tuple(c.help for c in COMMANDS.values())
    if not service.settings.bot_stats_moderators_only:
        entries = tuple(replace(h, admin=False) if h.name == "stats" else h for h in entries)
    return HelpAnswer("help", entries, service.settings.bot_prefix)


@command("add", "!add <url>, or files attached, or a title line + text",
         "Add articles: web pages, .txt .md .html .json files, or pasted text.",
         "!add https://example.org/story", admin=True)
async def _add(service: Service, argument: str, origin: Origin) -> Answer:
    # Discord's admin cog takes `!add` itself (it needs the attachments); only the terminal lands here.
    one_line = argument.strip() and "\n" not in argument and len(argument) <= 200
    inputs = argument.strip() if one_line else "FILE|URL…"
    raise CommandError("usage", f"In the terminal, add articles with `coveragebot add {inputs}`.")


@command("remove", "!remove <article id>", "Remove an article from every answer.",
         "!remove 17", admin=True, needs_argument=True)
async def _remove(service: Service, argument: str, origin: Origin) -> Answer:
    number = _id_argument(argument.lstrip("#"), "!remove <article id>")
    ref, count = await service.remove_article(number, origin.actor)
    return RemoveAnswer("remove", ref, count)


@command("reindex", "!reindex", "Recompute statements and actions and rebuild the search index.",
         "!reindex", admin=True)
async def _reindex(service: Service, argument: str, origin: Origin) -> Answer:
    articles, passages = await service.reindex(origin.actor)
    return Notice("reindex", "ok", f"Re-indexed {counted(articles, 'article')} ({counted(passages, 'passage')}).")


@command("feed", "!feed add <url> | list | remove <id> | poll",
         "Follow news feeds (RSS, Atom, Google News sitemaps): their new and changed entries are added "
         "as articles every few minutes.", "!feed add https://example.org/rss.xml", admin=True, needs_argument=True)
async def _feed(service: Service, argument: str, origin: Origin) -> Answer:
    from coveragebot.index.feeds.manage import FeedCommandError, feed_command

    try:
        return await feed_command(service, argument, origin.actor)
    except FeedCommandError as exc:
        raise CommandError(exc.level, str(exc)) from None


@command("stats", "!stats [gaps|export] [24h|7d|30d]",
         "What the team asks (chart, top queries, people, channels); `gaps`: what the coverage lacks; "
         "`export`: the log as CSV.", "!stats gaps 30d", admin=True)
async def _stats(service: Service, argument: str, origin: Origin) -> Answer:
    from coveragebot.index.stats import StatsError, parse_request, stats_answer

    if origin.frontend != "cli" and origin.guild_id is None:
        raise CommandError("refusal", "Stats belong to a server: ask in one of its channels.")
    try:
        view, since = parse_request(argument)
        # A server's moderators see their own server's log; the terminal sees all of it.
        return await stats_answer(service, view, since, guild_id=None if origin.frontend == "cli" else origin.guild_id,
                                  chart=origin.frontend != "cli")
    except StatsError as exc:
        raise CommandError(exc.level, str(exc)) from None


@command("fix", "!fix speaker|kind|hide|merge|split|list …",
         "Correct extraction: `speaker <statement id> <name>`, `kind <statement id> direct|partial|indirect`, "
         "`hide statement <id>`, `hide agent <name>`, `merge <name> into <name>`, "
         "`split <name> <statement ids…> [as <name>]`, `list`.",
         "!fix speaker 12 Gustavo Petro", admin=True, needs_argument=True)
async def _fix(service: Service, argument: str, origin: Origin) -> Answer:
    from coveragebot.index.corrections import FixError, apply_fix

    try:
        fix = await apply_fix(service, argument, origin.actor)
    except FixError as exc:
        raise CommandError("usage" if str(exc).startswith("Usage") else "refusal", str(exc)) from None
    return Notice("fix", "ok", fix.summary)


async def complete_speakers(service: Service, typed: str, limit: int = 25) -> list[str]:
    """Speaker names for a slash command's autocomplete: prefix or word matches, people first,
    most quoted first."""
    wanted = fold(typed).strip()
    rows = await service.store.people_starting(wanted.split()[-1] if wanted else "", limit * 4)
    names = [name for name, kind, n in sorted(rows, key=lambda r: (r[1] != "person", -r[2], r[0]))]
    if not wanted:
        return names[:limit]
    starts = [n for n in names if fold(n).startswith(wanted)]
    words = [n for n in names if n not in starts and all(any(w.startswith(part) for w in fold(n).split())
                                                           for part in wanted.split())]
    return (starts + words)[:limit]


async def complete_articles(service: Service, typed: str, limit: int = 25,
                            first_passage: bool = False) -> list[tuple[str, int]]:
    """(label, article id) for autocomplete: by id, key or title words, newest first.

    With `first_passage`, the number is the article's first passage (what `/context` takes).
    """
    wanted = fold(typed).strip().lstrip("#")
    rows = sorted((await service.store.articles()).values(), key=lambda r: -r["id"])
    exact = [r for r in rows if str(r["id"]) == wanted]
    others = [r for r in rows if r not in exact and (
        not wanted or str(r["id"]).startswith(wanted) or wanted in f"{fold(r['key'])} {fold(r['title'])}")]
    chosen = (exact + others)[:limit]
    numbers = {r["id"]: r["id"] for r in chosen}
    if first_passage:
        numbers = await service.store.first_passages(list(numbers))
    # Discord caps a choice's name at 100 characters.
    return [(f"#{r['id']} {r['title']}"[:100], numbers[r["id"]]) for r in chosen if r["id"] in numbers]


async def flag_answer(service: Service, query_id: int, origin: Origin, note: str = "") -> Notice:
    """A member marks a logged answer as wrong (the Flag button); `!stats gaps` lists it."""
    # origin.actor is already pseudonymous when privacy.hash_user_ids is on.
    if not await service.store.flag(query_id, origin.actor, note[:200]):
        return Notice("flag", "refusal", "That answer is no longer in the log.", ok=False)
    return Notice("flag", "ok", "Thanks: the answer is flagged for the editors (`!stats gaps`).")


def _id_argument(argument: str, usage: str) -> int:
    text = argument.strip().split()[0] if argument.strip() else ""
    # ASCII digits only: str.isdigit() also accepts "²", which int() refuses.
    if not (text.isascii() and text.isdigit()) or len(text) > 12:
        raise CommandError("usage", f"Usage: `{usage}` with a number, e.g. `{usage.split()[0]} 3`.")
    return int(text)


def add_answer(outcomes) -> AddAnswer:
    """An AddAnswer from the service's per-item outcomes."""
    return AddAnswer("add", tuple(outcomes))