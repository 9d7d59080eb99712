"""The Wilson interval's properties, for any counts (hypothesis)."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from openaeo.screening.wilson import wilson, z_for

pytestmark = pytest.mark.domain


@st.composite
def counts(draw, max_trials=100_000):
    trials = draw(st.integers(min_value=0, max_value=max_trials))
    return draw(st.integers(min_value=0, max_value=trials)), trials


z_values = st.floats(min_value=0, max_value=5, allow_nan=False)


@given(counts(), z_values)
def test_bounds_lie_in_0_1_around_the_rate(observed, z):
    successes, trials = observed
    interval = wilson(successes, trials, z)
    assert 0.0 <= interval.lower <= interval.rate <= interval.upper <= 1.0


@given(counts(max_trials=10_000), st.floats(min_value=0.1, max_value=5))
def test_symmetric_under_swapping_successes_and_failures(observed, z):
    successes, trials = observed
    interval = wilson(successes, trials, z)
    mirrored = wilson(trials - successes, trials, z)
    assert math.isclose(interval.lower, 1 - mirrored.upper, abs_tol=1e-12)
    assert math.isclose(interval.upper, 1 - mirrored.lower, abs_tol=1e-12)


@given(
    st.integers(min_value=1, max_value=1000),
    st.integers(min_value=0, max_value=1000),
    st.integers(min_value=2, max_value=50),
    st.floats(min_value=0.1, max_value=5),
)
def test_narrows_as_the_same_rate_is_seen_over_more_trials(trials, successes, factor, z):
    successes = min(successes, trials)
    small = wilson(successes, trials, z)
    large = wilson(successes * factor, trials * factor, z)
    assert large.upper - large.lower <= small.upper - small.lower + 1e-12


@given(counts(max_trials=10_000), st.floats(min_value=0.5, max_value=0.99))
def test_a_higher_confidence_level_gives_a_wider_interval(observed, confidence):
    successes, trials = observed
    narrow = wilson(successes, trials, z_for(confidence))
    wide = wilson(successes, trials, z_for(min(confidence + 0.009, 0.999)))
    assert wide.lower <= narrow.lower + 1e-12 and wide.upper >= narrow.upper - 1e-12


def test_no_trials_means_nothing_is_known():
    assert (wilson(0, 0).lower, wilson(0, 0).upper) == (0.0, 1.0)


def test_z_zero_collapses_to_the_rate():
    interval = wilson(3, 12, 0.0)
    assert interval.lower == interval.rate == interval.upper == 0.25


def test_a_known_value():
    # 1 in 4 at 95 %: worked by hand from the formula.
    interval = wilson(1, 4, 1.96)
    assert interval.lower == pytest.approx(0.045586, abs=1e-6)
    assert interval.upper == pytest.approx(0.699364, abs=1e-6)
    assert z_for(0.95) == pytest.approx(1.959964, abs=1e-6)


@pytest.mark.parametrize(("successes", "trials", "z"), [(-1, 3, 1), (4, 3, 1), (1, 3, -1)])
def test_nonsense_is_refused(successes, trials, z):
    with pytest.raises(ValueError):
        wilson(successes, trials, z)
