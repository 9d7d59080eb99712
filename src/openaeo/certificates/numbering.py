"""AEO numbers from a programme's pattern (pure).

The pattern is a Python format string with these fields:

    {country}    the programme's country code (ZZ, KE, ...)
    {tier}       the level's position in the programme, 1 for the first level
    {tier_code}  the level's code in capitals (ENTRY, SECURITY, ...)
    {seq}        the programme's sequence number; give it a width, as in {seq:05d}
    {yy} {yyyy}  the year of the decision, two or four digits

The default, `{country} AEO{tier} {seq:05d}/{yy}`, gives numbers such as
"ZZ AEO1 00042/26". The sequence is per programme and never restarts, so a
number is never given twice even when the year is not in it.
"""

import datetime as dt

DEFAULT_PATTERN = "{country} AEO{tier} {seq:05d}/{yy}"


class PatternError(ValueError):
    pass


def number_pattern(config: dict) -> str:
    return (config.get("certificates") or {}).get("number_pattern") or DEFAULT_PATTERN


def tier_position(config: dict, tier_code: str) -> int:
    codes = [tier["code"] for tier in config.get("tiers", [])]
    return codes.index(tier_code) + 1 if tier_code in codes else 0


def format_number(pattern: str, *, country: str, tier: int, tier_code: str, seq: int, on: dt.date):
    fields = {
        "country": country,
        "tier": tier,
        "tier_code": tier_code.upper(),
        "seq": seq,
        "yy": f"{on.year % 100:02d}",
        "yyyy": f"{on.year:04d}",
    }
    if "{seq" not in pattern:
        raise PatternError("the pattern must contain {seq}")
    try:
        return pattern.format_map(fields).strip()
    except (KeyError, ValueError, IndexError, AttributeError) as error:
        raise PatternError(f"the pattern {pattern!r} cannot be used: {error}") from error
