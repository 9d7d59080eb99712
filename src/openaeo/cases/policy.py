"""Who may reach application pages: the trader side; each page checks the business."""

from openaeo.common.permissions import register_routes, trader_side

TRADER = trader_side()

register_routes({"cases:submit": TRADER, "cases:status": TRADER})
