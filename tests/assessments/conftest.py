"""Files sent through the evidence store here too: the evidence tests' scanner stand-ins."""

from tests.evidence.conftest import clamd_scanner, media_root, use_clamd, use_scanner  # noqa: F401
