"""The article record every layer passes around: body text plus what is known of its source."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Article:
    """One article: body text plus what is known of its source."""

    key: str
    title: str
    text: str
    outlet: str = ""
    author: str = ""
    url: str = ""
    published: str = ""
    id: int | None = None
    decoded_as: str = ""  # the encoding assumed for a file that was not UTF-8

    @property
    def source_label(self) -> str:
        """Outlet and author as one line, whichever are known."""
        return " / ".join(part for part in (self.outlet, self.author) if part)
