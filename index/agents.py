"""`!who` at query time: stored actions looked up by stem, matched, ranked, quoted."""

from __future__ import annotations

import json

from index.answers import AgentHit, Hit, WhoAnswer
from index.who import Action
from index.who_query import action_matches, parse_who_query, rank_agents


def action_from_row(row) -> Action:
    """An Action rebuilt from its stored row."""
    return Action(
        agent=row["agent"], agent_key=row["agent_key"], verb=row["verb"],
        keys=tuple(row["keys"].split()), action=row["action"], target=row["target"],
        passive=bool(row["passive"]), passage_start=row["passage_start"],
        passage_end=row["passage_end"], kind=row["kind"],
        target_names=tuple(json.loads(row["target_names"])) if row["target_names"] != "[]" else (),
        mention=row["mention"],
    )


async def who_did(service, query: str, limit: int) -> WhoAnswer:
    """Agents of the action in `query`, best supported first, each with evidence."""
    wanted = parse_who_query(query)
    rows = await service.store.actions_with_keys([wanted.verb_stem, wanted.event_stem])
    sentence_of: dict[tuple[int, int], int] = {}
    hits = []
    for row in rows:
        action = action_from_row(row)
        if action_matches(wanted, action) and row["sentence_id"] is not None:
            hits.append((row["article_id"], action))
            sentence_of[(row["article_id"], action.passage_start)] = row["sentence_id"]
    ranked = rank_agents(hits, wanted)[:limit]
    wanted_ids = [sentence_of[(a, act.passage_start)] for agent in ranked for a, act in agent.evidence[:3]]
    passages = {h.passage_id: h for h in await service.hits_for([(i, 0.0) for i in wanted_ids], set())}
    agents = []
    for agent in ranked:
        shown: dict[int, tuple[Hit, str]] = {}
        for a, act in agent.evidence[:3]:
            sid = sentence_of[(a, act.passage_start)]
            if sid in passages and sid not in shown:
                shown[sid] = (passages[sid], act.mention)
        best = agent.evidence[0][1]
        agents.append(AgentHit(agent.agent, best.action, best.target, agent.support, agent.articles,
                               tuple(h for h, _ in shown.values()), tuple(m for _, m in shown.values())))
    return WhoAnswer("who", query=query, agents=tuple(agents))
