"""Declaration files: the hand-computed fixture file, and files made for a test's own
businesses."""

import datetime as dt

from openaeo.common import clock

# As of 2026-06-30 with a one-year look-back, the window is 2025-07-01 .. 2026-06-30.
AS_OF = dt.date(2026, 6, 30)

HAND_COMPUTED_CSV = """record_type,declarant_id,declaration_id,declaration_type,lodgement_date,customs_office,inspection_outcome,irregularity_severity,penalty_amount,late_payment
declaration,OP-A,A1,IM,2025-07-01,PORT,no_discrepancy,none,,false
declaration,OP-A,A2,IM,2025-09-15,PORT,discrepancy,minor,100.00,false
declaration,OP-A,A3,EX,2026-01-20,AIR,not_inspected,none,0,true
declaration,OP-A,A4,EX,2026-06-30,AIR,,,,
infringement,OP-A,I1,,2026-03-01,PORT,,serious,500,
declaration,OP-A,A0,IM,2025-06-30,PORT,discrepancy,serious,900,true
declaration,OP-B,B1,IM,2025-12-01,ROAD,,,,
declaration,OP-B,B2,IM,2026-02-01,ROAD,,,,no
"""

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
