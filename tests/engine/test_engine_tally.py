"""engine.tally: statuses counted per goal and per result."""

import pytest
from hypothesis import given, settings, strategies as st

from engine import Status
from engine.tally import tally

STATUSES = (Status.ACHIEVED, Status.WORSE, Status.BETTER, Status.NOT_ASSESSED)


def test_counts_per_goal_and_result_in_first_seen_order():
    items = [("B", "B1", Status.WORSE), ("A", "A2", Status.ACHIEVED), ("A", "A1", Status.BETTER),
             ("A", "A2", Status.ACHIEVED), ("B", "B1", Status.NOT_ASSESSED)]
    t = tally(items, STATUSES)
    assert [g.key for g in t.goals] == ["B", "A"]
    assert [(r.key, r.counts) for r in t.goals[1].results] == [("A2", (2, 0, 0, 0)), ("A1", (0, 0, 1, 0))]
    assert t.goals[0].counts == (0, 1, 0, 1) and t.goals[1].total == 3
    assert t.counts == (2, 1, 1, 1) and t.total == 5


def test_policy_and_action_results_with_the_same_code_stay_apart():
    items = [("A", ("policy", "A1"), Status.ACHIEVED), ("A", ("action", "A1"), Status.WORSE)]
    assert [r.counts for r in tally(items, STATUSES).goals[0].results] == [(1, 0, 0, 0), (0, 1, 0, 0)]


@pytest.mark.parametrize("status", [Status.WORSE, "worse"])
def test_statuses_count_as_enum_or_as_value(status):
    assert tally([(None, None, status)], STATUSES).counts == (0, 1, 0, 0)


def test_an_unknown_status_is_an_error_not_a_silent_drop():
    with pytest.raises(ValueError):
        tally([("A", "A1", "lost")], STATUSES)


def test_nothing_to_count_gives_zeros():
    t = tally([], STATUSES)
    assert t.goals == () and t.counts == (0, 0, 0, 0) and t.total == 0


@settings(deadline=None)  # the machine is shared: wall-clock limits make tests flaky
@given(st.lists(st.tuples(st.sampled_from("AB"), st.sampled_from(["1", "2", None]), st.sampled_from(STATUSES))))
def test_results_add_up_to_their_goal_and_goals_to_the_book(items):
    t = tally(items, STATUSES)
    assert t.total == len(items)
    for goal in t.goals:
        assert goal.counts == tuple(map(sum, zip(*(r.counts for r in goal.results))))
    assert t.counts == tuple(map(sum, zip(*(g.counts for g in t.goals)))) if t.goals else t.counts == (0,) * 4
    assert len({(g.key, r.key) for g in t.goals for r in g.results}) == len(set((g, r) for g, r, _ in items))
