"""The baseline of bench/verify_api.py: the smallest WSGI app that answers like the API.

It returns the same fixed JSON body (the size and shape of a real verification answer)
for every request, with no Django, no database and no middleware, so that the same
gunicorn, run the same way, shows what the server and the load generator alone cost on
this machine. `gunicorn bench._fixed_json_app` serves it (run from the project root).
"""

import json

BODY = json.dumps(
    {
        "status": "valid",
        "summary": "Valid: this business holds AEO status.",
        "aeo_number": "ZZ AEO1 00042/26",
        "holder_name": "Business 42 Ltd",
        "tier": "AEO entry level",
        "tier_code": "entry",
        "effective_on": "2026-01-15",
        "issuer": {"id": "https://aeo.customs.example", "name": "Reference Customs Administration"},
        "reason": "",
        "recognised_under": None,
        "checked_at": "2026-11-28T00:00:00Z",
    }
).encode("utf-8")
HEADERS = [
    ("Content-Type", "application/json; charset=utf-8"),
    ("Content-Length", str(len(BODY))),
]


def application(environ, start_response):
    start_response("200 OK", HEADERS)
    return [BODY]
