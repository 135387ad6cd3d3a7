"""`!who` at query time: stored actions looked up by stem, matched, ranked, quoted."""

from __future__ import annotations

from typing import NamedTuple

from index.answers import AgentHit, Hit, WhoAnswer
from index.who.query import parse_who_query, rank_agents


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


async def who_did(service, query: str, limit: int) -> WhoAnswer:
    """Agents of the action in `query`, best supported first, each with evidence."""
    wanted = parse_who_query(query)
    if not wanted.verb_stem:
        return WhoAnswer("who", query=query, agents=())
    # The keys are the match: every row found under the query's stems is its event.
    rows = await service.store.who_rows([wanted.verb_stem, wanted.event_stem], with_words=bool(wanted.object_terms))
    hits = [(row.article_id, row) for row in map(StoredAction._make, rows)]
    ranked = rank_agents(hits, wanted)[:limit]
    evidence = {id(agent): _distinct_sentences(agent.evidence)[:EVIDENCE_SHOWN] for agent in ranked}
    wanted_ids = [act.sentence_id for agent in ranked for act in evidence[id(agent)]]
    passages = {h.passage_id: h for h in await service.hits_for([(i, 0.0) for i in wanted_ids], set())}
    phrases = await service.store.action_phrases([agent.evidence[0][1].action_id for agent in ranked])
    agents = []
    for agent in ranked:
        shown: dict[int, tuple[Hit, str]] = {}
        for act in evidence[id(agent)]:
            sid = act.sentence_id
            if sid in passages and sid not in shown:
                shown[sid] = (passages[sid], act.mention)
        action, target = phrases.get(agent.evidence[0][1].action_id, ("", ""))
        agents.append(AgentHit(agent.agent, action, target, agent.support, agent.articles,
                               tuple(h for h, _ in shown.values()), tuple(m for _, m in shown.values())))
    return WhoAnswer("who", query=query, agents=tuple(agents))


def _distinct_sentences(evidence) -> list:
    """One action per sentence, in ranked order: a sentence counts once for an agent."""
    seen, out = set(), []
    for _, act in evidence:
        if act.sentence_id not in seen:
            seen.add(act.sentence_id)
            out.append(act)
    return out
