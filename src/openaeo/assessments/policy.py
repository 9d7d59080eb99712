"""Who may reach self-assessment pages: the trader side; each page checks the business."""

from openaeo.common.permissions import register_routes, trader_side

TRADER = trader_side()

register_routes(
    {
        "assessments:start": TRADER,
        "assessments:overview": TRADER,
        "assessments:heading": TRADER,
        "assessments:answer": TRADER,
        "assessments:attach": TRADER,
        "assessments:gaps": TRADER,
        "assessments:gaps_export": TRADER,
        "assessments:action_plan": TRADER,
        "assessments:actions": TRADER,
    }
)
