"""The Wilson score interval for a proportion: pure, no Django, no database.

Screening judges the interval, not the raw rate. One error in twelve declarations
(8 %) says little about a micro trader; the same rate over thousands of
declarations says a lot. The Wilson interval is honest for small counts and for
rates near 0 or 1, where the textbook normal interval is not. The screening SQL
computes the same formula (engine.WILSON_SQL); a test checks that both agree.
"""

import math
from dataclasses import dataclass
from statistics import NormalDist


@dataclass(frozen=True)
class Interval:
    rate: float
    lower: float
    upper: float


def z_for(confidence: float) -> float:
    """The two-sided standard normal quantile for a confidence level (0.95 -> 1.96)."""
    if not 0 < confidence < 1:
        raise ValueError("confidence must be strictly between 0 and 1")
    return NormalDist().inv_cdf(1 - (1 - confidence) / 2)


def wilson(successes: int, trials: int, z: float = 1.959963984540054) -> Interval:
    """The Wilson score interval for `successes` out of `trials`.

    With no trials nothing is known: the rate is 0 and the interval is [0, 1].
    """
    if trials < 0 or successes < 0 or successes > trials:
        raise ValueError("need 0 <= successes <= trials")
    if z < 0:
        raise ValueError("z must not be negative")
    if trials == 0:
        return Interval(0.0, 0.0, 1.0)
    p = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (p + z2 / (2 * trials)) / denominator
    half = z * math.sqrt(p * (1 - p) / trials + z2 / (4 * trials * trials)) / denominator
    # Rounding can put the bounds a hair outside [0, p] or [p, 1].
    return Interval(p, max(0.0, min(p, centre - half)), min(1.0, max(p, centre + half)))
