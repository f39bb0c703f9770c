"""Counts of assessment statuses per goal and per result, from plain (goal, result, status) triples."""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from typing import Any, NamedTuple


class Count(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    """How many indicators of one group got each status (in the order of Tally.statuses)."""

    key: Hashable
    counts: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


class GoalCount(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    """A goal's counts and the counts of each result under it."""

    key: Hashable
    counts: tuple[int, ...]
    results: tuple[Count, ...]

    @property
    def total(self) -> int:
        return sum(self.counts)


class Tally(NamedTuple):  # not a dataclass: defining one costs ~0.5 ms of every start
    statuses: tuple[Any, ...]
    goals: tuple[GoalCount, ...]
    counts: tuple[int, ...]  # the whole book

    @property
    def total(self) -> int:
        return sum(self.counts)


def _value(status: Any) -> Any:
    return getattr(status, "value", status)


def tally(items: Iterable[tuple[Hashable, Hashable, Any]], statuses: Sequence[Any]) -> Tally:
    """Count statuses per goal and per (goal, result); goals and results keep the order they first appear in.

    A result key is whatever identifies a result within its goal: the summary passes (level, code), because the
    source numbers policy results and action results alike (A1, A2, …) under the same goal.
    """
    position = {_value(s): i for i, s in enumerate(statuses)}
    width = len(position)
    grid: dict[Hashable, dict[Hashable, list[int]]] = {}
    for goal, result, status in items:
        try:
            column = position[_value(status)]
        except KeyError:
            raise ValueError(f"status {status!r} is not one of {list(position)}") from None
        grid.setdefault(goal, {}).setdefault(result, [0] * width)[column] += 1
    goals = []
    overall = [0] * width
    for goal, results in grid.items():
        summed = [sum(column) for column in zip(*results.values())]
        overall = [a + b for a, b in zip(overall, summed)]
        goals.append(GoalCount(goal, tuple(summed), tuple(Count(r, tuple(c)) for r, c in results.items())))
    return Tally(tuple(statuses), tuple(goals), tuple(overall))
