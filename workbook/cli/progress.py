"""A one-line progress bar on stderr, drawn only when stderr is a terminal (CI logs stay clean)."""
from __future__ import annotations

from typing import TextIO


class Progress:
    def __init__(self, total: int, stream: TextIO, width: int = 30):
        self.total = max(total, 0)
        self.done = 0
        self.stream = stream
        self.width = width
        isatty = getattr(stream, "isatty", None)
        self.enabled = bool(isatty and isatty()) and self.total > 1

    def advance(self, label: str = "") -> None:
        self.done += 1
        if not self.enabled:
            return
        filled = self.width * self.done // self.total
        bar = "#" * filled + "." * (self.width - filled)
        tail = label[-40:]
        self.stream.write(f"\r[{bar}] {self.done}/{self.total} {tail:<40}")
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.stream.write("\r" + " " * (self.width + 60) + "\r")
            self.stream.flush()
