"""Files sent through the evidence store here too: each test stores them in its own folder."""

import pytest


@pytest.fixture(autouse=True)
def _own_media_root(media_root):
    pass
