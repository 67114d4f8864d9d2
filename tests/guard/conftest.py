import pytest
from django.core.cache import caches

from core.limits_cache import LOCAL


@pytest.fixture(autouse=True)
def fresh_limits():
    """The sign-in and abuse counters live in the shared cache and outlive a test (and a run): start from none."""
    caches["default"].clear()
    LOCAL.clear()
    yield
