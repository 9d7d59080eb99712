"""Declaration files made for a test's own businesses."""

import datetime as dt

from openaeo.common import clock

HEADER = (
    "record_type,declarant_id,declaration_id,lodgement_date,irregularity_severity,"
    "penalty_amount,late_payment\n"
)


def declarations_csv(identifier: str, *, clean: int, minor: int = 0, serious: int = 0) -> str:
    """`clean + minor + serious` declarations of `identifier` over the last 300 days."""
    today = clock.today()
    lines = []
    kinds = ["none"] * clean + ["minor"] * minor + ["serious"] * serious
    for number, severity in enumerate(kinds):
        day = today - dt.timedelta(days=number % 300)
        penalty = "500" if severity == "serious" else ""
        lines.append(f"declaration,{identifier},{identifier}-{number},{day},{severity},{penalty},")
    return HEADER + "\n".join(lines) + "\n"
