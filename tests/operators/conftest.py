"""Files sent through the evidence store here too: the evidence tests' scanner stand-ins."""

from tests.evidence.conftest import media_root, use_scanner  # noqa: F401
