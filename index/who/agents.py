"""`!who` at query time: stored actions looked up by stem, matched, ranked, quoted."""

from __future__ import annotations

import heapq
import itertools
from collections import Counter, OrderedDict, defaultdict
from typing import NamedTuple

from coveragebot.index.answers import AgentHit, Hit, WhoAnswer
from coveragebot.index.who.doers import THING
from coveragebot.index.who.extract import NOT_IDENTIFIED, NOT_STATED
from coveragebot.index.who.factuality import ASSERTED
from coveragebot.index.who.query import (
    AgentAnswer, Tally, WhoQuery, object_fit, agent_of, display_name, merge_keys, object_patterns,
    parse_who_query, rank_agents, rank_of, strength,
)


class StoredAction(NamedTuple):
    """The stored fields of an action that `!who` ranks on, read as one plain row."""

    action_id: int
    article_id: int
    sentence_id: int
    agent: str
    agent_key: str
    kind: str
    passage_start: int
    mention: str
    words: str  # the action, its target and the target's names, as stored beside the key
    factuality: str = ASSERTED

    # rank_agents reads an action's words from these three; `words` holds them all.
    @property
    def action(self) -> str:
        return self.words

    @property
    def target(self) -> str:
        return ""

    @property
    def target_names(self) -> tuple[str, ...]:
        return ()


# Each agent's sentences are all shown, up to this many (the answer says when it stops short).
EVIDENCE_SHOWN = 20
# The second part ("also reported as refused, planned or demanded") ranks the first this
# many such actions under the asked key, in text order, and shows a few sentences of each
# agent: it says that they were reported so, not all the ways they were.
REPORTED_ROWS = 1000
REPORTED_SHOWN = 3
# Keys holding up to this many actions are ranked from every row (`rank_agents`); above
# it, from the stored counts (`who_agents`), reading rows only for the agents shown.
FULL_READ_ROWS = 2000


async def who_did(service, query: str, limit: int) -> WhoAnswer:
    """Agents of the action in `query`, best supported first, each with evidence."""
    wanted = parse_who_query(query)
    if not wanted.verb_stem:
        return WhoAnswer("who", query=query, agents=())
    # The keys are the match: every row found under the query's stems is its event.
    keys = [k for k in dict.fromkeys((wanted.verb_stem, wanted.event_stem)) if k]
    ranked = await _one_per_person(service.store, await _rank_asserted(service, wanted, keys, limit))
    others: list[AgentAnswer] = []
    if service.settings.who_show_also_reported:
        rows = await service.store.who_reported(keys, REPORTED_ROWS)
        others = rank_agents([(row.article_id, row) for row in (StoredAction(*r) for r in rows)], wanted)[:limit]
        others = await _one_per_person(service.store, others)
    agents = _people_first(await _agent_hits(service, ranked))
    also = _people_first(await _agent_hits(service, others, REPORTED_SHOWN))
    return WhoAnswer("who", query=query, agents=tuple(agents), also_reported=tuple(also))


def _people_first(agents: list[AgentHit]) -> list[AgentHit]:
    """People and bodies in their order, then things ("home values dropped"), labelled:
    a thing answers `!who` only where no person is reported to have done it."""
    return [a for a in agents if a.agent_class != THING] + [a for a in agents if a.agent_class == THING]


async def _rank_asserted(service, wanted: WhoQuery, keys: list[str], limit: int) -> list[AgentAnswer]:
    """The agents of the asserted actions under `keys`, best first."""
    tallies = await service.store.who_tallies(keys)
    if sum(row[4] for row in tallies) <= FULL_READ_ROWS:
        rows = await service.store.who_rows(keys, with_words=bool(wanted.object_terms))
        return rank_agents([(row.article_id, row) for row in (StoredAction(*r) for r in rows)], wanted)[:limit]
    return await _rank_by_tallies(service.store, wanted, keys, tallies, limit)


async def _agent_hits(service, ranked: list[AgentAnswer], shown: int = EVIDENCE_SHOWN) -> list[AgentHit]:
    """Ranked agents as answers: their sentences, phrases and how each sentence tells it."""
    evidence = {id(agent): _distinct_sentences(agent.evidence)[:shown] for agent in ranked}
    wanted_ids = [act.sentence_id for agent in ranked for act in evidence[id(agent)]]
    passages = {h.passage_id: h for h in await service.hits_for([(i, 0.0) for i in wanted_ids], set())}
    details = await service.store.action_details(
        [act.action_id for agent in ranked for act in evidence[id(agent)]])
    agents = []
    for agent in ranked:
        shown: dict[int, tuple[Hit, str, str, str]] = {}
        for act in evidence[id(agent)]:
            sid = act.sentence_id
            if sid in passages and sid not in shown:
                _, _, factuality, source, _ = details.get(act.action_id, ("", "", ASSERTED, "", ""))
                shown[sid] = (passages[sid], act.mention, factuality, source)
        action, target, _, _, agent_class = details.get(agent.evidence[0][1].action_id, ("", "", ASSERTED, "", ""))
        kinds = Counter(f for _, _, f, _ in shown.values())
        agents.append(AgentHit(
            agent.agent, action, target, agent.support, agent.articles,
            tuple(h for h, *_ in shown.values()), tuple(m for _, m, _, _ in shown.values()),
            factuality=kinds.most_common(1)[0][0] if kinds else ASSERTED,
            factualities=tuple(f for _, _, f, _ in shown.values()),
            sources=tuple(s for *_, s in shown.values()), agent_class=agent_class))
    return agents


async def _one_per_person(store, ranked: list[AgentAnswer]) -> list[AgentAnswer]:
    """Agents the people registry knows as one person, joined in the place of the first
    (`Trump` under `Donald J. Trump`), shown by the registry's name for that person when
    their key names it.

    Spellings that `merge_keys` could not join (a surname beside two full names in the
    same answer is ambiguous there) join here when the registry has settled who they are.
    Support and articles are counted over the joined evidence where it shows them.
    """
    if len(ranked) < 2:
        return ranked
    # Looked up by the agent's key (its full name in its articles: "Hallorann" there may
    # be John Hallorann), else by the name shown.
    keys_of = [{hit[1].agent_key for hit in a.evidence} - {NOT_STATED, NOT_IDENTIFIED} for a in ranked]
    people = await store.people_named([a.agent for a in ranked] + [k for keys in keys_of for k in keys])
    joined: dict[int, int] = {}
    out: list[AgentAnswer] = []
    for agent, keys in zip(ranked, keys_of):
        by_key = {people[k] for k in keys if k in people}
        person = next(iter(by_key)) if len(by_key) == 1 else None if by_key else people.get(agent.agent.lower())
        if person is None or person[0] not in joined:
            if person is not None:
                joined[person[0]] = len(out)
                if by_key:
                    agent = AgentAnswer(person[1], agent.support, agent.articles, agent.evidence)
            out.append(agent)
            continue
        first = out[joined[person[0]]]
        evidence, seen = [], set()
        for hit in [*first.evidence, *agent.evidence]:
            where = (hit[0], hit[1].passage_start)
            if where not in seen:
                seen.add(where)
                evidence.append(hit)
        shared = len(first.evidence) + len(agent.evidence) - len(evidence)
        articles = {hit[0] for hit in first.evidence} & {hit[0] for hit in agent.evidence}
        out[joined[person[0]]] = AgentAnswer(
            person[1], first.support + agent.support - shared, first.articles + agent.articles - len(articles),
            evidence)
    return out


def _distinct_sentences(evidence) -> list:
    """One action per sentence, in ranked order: a sentence counts once for an agent."""
    seen, out = set(), []
    for _, act in evidence:
        if act.sentence_id not in seen:
            seen.add(act.sentence_id)
            out.append(act)
    return out


async def _rank_by_tallies(store, wanted: WhoQuery, keys: list[str], tallies: list[tuple],
                           limit: int) -> list[AgentAnswer]:
    """`rank_agents`' answer from the stored counts of each agent under `keys`.

    The same grouping, order and counts as reading every row: an agent's counts are
    exact when it has one spelling under one key; an agent merged from several is
    ranked first on the sum of its parts (never below its place) and counted afresh
    before it is placed. Rows are read only for object words and for the agents shown.
    """
    spellings_of: dict[object, dict[str, Tally]] = defaultdict(dict)

    def count_in(rows: list[tuple]) -> None:
        for _key, agent_key, agent, alone, *counts in rows:
            member = (agent_key, alone) if alone else agent_key
            found = spellings_of[member]
            found[agent] = _sum([found[agent], Tally(*counts)]) if agent in found else Tally(*counts)

    count_in(tallies)
    group_of = _merged({m: set(found) for m, found in spellings_of.items()
                        if isinstance(m, str) and m not in (NOT_STATED, NOT_IDENTIFIED)})
    if sum(1 for m in set(group_of.values()) if m not in (NOT_STATED, NOT_IDENTIFIED)) < limit:
        # Each article's unresolved "he" ranks after every named agent: read only when
        # the named ones don't fill the answer (an archive holds thousands of them).
        count_in(await store.who_tallies(keys, unresolved=True))
    groups: dict[object, list[object]] = defaultdict(list)
    for member in spellings_of:
        groups[group_of.get(member, member) if isinstance(member, str) else member].append(member)

    fit, fitting = await _fitting_rows(store, wanted, keys)
    best_fit: dict[object, float] = defaultdict(float)
    fitting_of: dict[object, list] = defaultdict(list)
    for hit in fitting:
        member = agent_of(hit[0], hit[1])
        root = group_of.get(member, member) if isinstance(member, str) else member
        best_fit[root] = max(best_fit[root], fit[id(hit[1])])
        fitting_of[root].append(hit)

    queue, order = [], itertools.count()
    for root, members in groups.items():
        if len(members) == 1 and len(spellings_of[members[0]]) == 1:
            # One spelling: its stored counts are the agent's (exact under one key). Most
            # agents of a common verb are this; their counts are made only if shown.
            [(display, tally)] = spellings_of[members[0]].items()
            rank = rank_of(display, isinstance(root, tuple), best_fit.get(root, 0.0), tally)
            queue.append((rank, next(order), len(keys) == 1, root, members, None, None, tally))
            continue
        counts, firsts = Counter(), {}
        for m in members:
            for agent, t in spellings_of[m].items():
                counts[agent] += t.rows
                firsts[agent] = min(firsts.get(agent, t.first), t.first)
        # Several spellings: ranked on the sum of their parts, counted afresh if it comes up.
        display = display_name(root, counts, firsts)
        tally = _sum([t for m in members for t in spellings_of[m].values()])
        rank = rank_of(display, isinstance(root, tuple), best_fit.get(root, 0.0), tally)
        queue.append((rank, next(order), False, root, members, counts, firsts, tally))
    heapq.heapify(queue)

    chosen = []
    while queue and len(chosen) < limit:
        rank, _, exact, root, members, counts, firsts, tally = heapq.heappop(queue)
        if counts is None:
            [(display, single)] = spellings_of[members[0]].items()
            counts, firsts = Counter({display: single.rows}), {display: single.first}
        agent_keys, alone = _group_filter(members)
        if not exact:
            # Recount: spellings of one agent often share articles, and an action may be
            # under both keys, so the sums overstated it.
            totals, spellings = await store.who_group_tally(keys, agent_keys, alone)
            counts = Counter({agent: n for agent, n, _ in spellings})
            firsts = {agent: first for agent, _, first in spellings}
            tally = Tally(*totals)
            rank = rank_of(display_name(root, counts, firsts), isinstance(root, tuple),
                           best_fit.get(root, 0.0), tally)
            heapq.heappush(queue, (rank, next(order), True, root, members, counts, firsts, tally))
            continue
        chosen.append((root, counts, firsts, tally, agent_keys, alone, fitting_of.get(root, [])))
    rows = await store.who_evidence(
        keys, [(agent_keys, alone, bool(fit) or tally.weak > 0) for *_, tally, agent_keys, alone, _ in chosen],
        limit=EVIDENCE_SHOWN * 3)
    answers = []
    for (root, counts, firsts, tally, _, _, fits), found in zip(chosen, rows):
        shown = _evidence(found, fit, fits)
        # Spellings as common as each other: the one the evidence shows first (as
        # rank_agents decides), then the one stored first.
        where: dict[str, tuple] = {}
        for n, (_, action) in enumerate(shown):
            where.setdefault(action.agent, (0, n))
        display = display_name(root, counts, {agent: where.get(agent, (1, firsts[agent])) for agent in counts})
        answers.append(AgentAnswer(display, tally.passages, tally.articles, shown))
    return answers


# merge_keys' answers for the spellings of the latest keys asked: a common verb has
# thousands of agents, and between two questions they seldom change.
_MERGES: OrderedDict[frozenset, dict[str, str]] = OrderedDict()
_MERGES_KEPT = 64


def _merged(spellings: dict[str, set[str]]) -> dict[str, str]:
    """merge_keys(spellings), remembered for the same spellings."""
    stamp = frozenset((key, name) for key, names in spellings.items() for name in names)
    if stamp in _MERGES:
        _MERGES.move_to_end(stamp)
        return _MERGES[stamp]
    group_of = _MERGES[stamp] = merge_keys(spellings)
    while len(_MERGES) > _MERGES_KEPT:
        _MERGES.popitem(last=False)
    return group_of


def _sum(parts: list[Tally]) -> Tally:
    return Tally(*(sum(t[i] for t in parts) for i in range(6)), min(t.first for t in parts))


def _group_filter(members: list[object]) -> tuple[list[str], int]:
    # A merged agent is a set of agent keys; an unresolved pronoun is one key in one article.
    if len(members) == 1 and isinstance(members[0], tuple):
        return [members[0][0]], members[0][1]
    return list(members), 0


async def _fitting_rows(store, wanted: WhoQuery, keys: list[str]):
    """Object scores of the rows whose words hold an object term, and those rows."""
    if not wanted.object_terms:
        return {}, []
    rows = await store.who_matching(keys, object_patterns(wanted))
    hits = [(row.article_id, row) for row in (StoredAction(*r) for r in rows)]
    # Every action under the key counts toward an object word's rarity, unresolved pronouns' too.
    total = await store.who_action_count(keys)
    fit = object_fit(hits, wanted, total=total)
    return fit, [hit for hit in hits if id(hit[1]) in fit]


def _evidence(rows: list[tuple], fit: dict[int, float], fitting: list) -> list:
    """An agent's evidence as `rank_agents` orders it, one action per passage: the rows
    with the asked object first (best fit, then strongest, then in text order), then the
    rows read in text order, clauses first."""
    fitting.sort(key=lambda h: (h[0], h[1].passage_start, h[1].action_id))
    fitting.sort(key=lambda h: (-fit[id(h[1])], -strength(h[1])))
    evidence, seen = [], set()
    for hit in [*fitting, *((row.article_id, row) for row in (StoredAction(*r) for r in rows))]:
        where = (hit[0], hit[1].passage_start)
        if where not in seen:
            seen.add(where)
            evidence.append(hit)
    return evidence
