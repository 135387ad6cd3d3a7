"""Progress of `coveragebot add` and `import` on stderr: a tqdm bar on a terminal, plain lines in a log.

A bar redraws one line with carriage returns, which a log file or a pipe would keep as one
ever-longer line; there a plain line is printed every few seconds instead, and one at the end.
May import: tqdm and the standard library.
"""

from __future__ import annotations

import os
import sys
import time
from typing import TextIO

# How often a log gets a line while the work goes on.
PLAIN_INTERVAL_SECONDS = 5.0


class Progress:
    """Progress towards `total` things (articles, dump lines), written to `stream`."""

    def __init__(self, label: str, total: int, unit: str, stream: TextIO | None = None,
                 interval: float = PLAIN_INTERVAL_SECONDS) -> None:
        self.label, self.total, self.unit = label, total, unit
        self.stream = stream if stream is not None else sys.stderr
        self.interval = interval
        self.done, self.note = 0, ""
        self._last_line = -interval  # the first update prints at once
        self._printed: tuple[int, str] | None = None
        self._closed = False
        self._bar = None
        if _is_terminal(self.stream):
            from tqdm import tqdm

            # A terminal that reports no width (some pseudo-terminals) still gets a whole bar.
            sized = _width(self.stream) > 0
            self._bar = tqdm(total=total, desc=label, unit=f" {unit}", file=self.stream, leave=True,
                             dynamic_ncols=sized, ncols=None if sized else 80, nrows=None if sized else 24)

    def update(self, done: int, note: str = "") -> None:
        """`done` of the total are finished; `note` says what just finished."""
        self.done, self.note = done, note
        if self._bar is not None:
            self._bar.n = done
            self._bar.set_postfix_str(note[:40], refresh=False)
            self._bar.refresh()
            return
        now = time.monotonic()
        if now - self._last_line >= self.interval:
            self._last_line = now
            self._plain_line()

    def close(self) -> None:
        """Finish the bar, or print the last plain line if the last update was not printed."""
        if self._closed:
            return
        self._closed = True
        if self._bar is not None:
            self._bar.close()
        elif self._printed != (self.done, self.note):
            self._plain_line()

    def _plain_line(self) -> None:
        share = f" ({100 * self.done // self.total}%)" if self.total else ""
        note = f" {self.note}" if self.note else ""
        self.stream.write(f"{self.label}: {self.done:,}/{self.total:,} {self.unit}{share}{note}\n")
        self.stream.flush()
        self._printed = (self.done, self.note)


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


def _width(stream: TextIO) -> int:
    try:
        return os.get_terminal_size(stream.fileno()).columns
    except (AttributeError, ValueError, OSError):
        return 0
