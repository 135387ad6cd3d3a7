"""The `!watch list` answer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from coveragebot.index.answers import Answer
from coveragebot.index.watches.table import Watch


@dataclass(frozen=True)
class WatchesAnswer(Answer):
    watches: tuple[Watch, ...] = ()

    @property
    def result_ids(self) -> list[int]:
        return [w.id for w in self.watches]

    def to_json(self) -> dict[str, Any]:
        return {"command": self.command, "result_count": self.result_count,
                "results": [{"id": w.id, "kind": w.kind, "target": w.target, "channel_id": w.channel_id,
                             "workspace": w.workspace} for w in self.watches]}
