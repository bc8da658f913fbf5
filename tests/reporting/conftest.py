import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Service messages are checked by their English msgid; pages still render in Thai through the middleware."""
    with translation.override("en"):
        yield
