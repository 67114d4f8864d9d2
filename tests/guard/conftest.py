import pytest
from django.core.cache import caches

from core import limits_cache


@pytest.fixture(autouse=True)
def fresh_limits():
    """The sign-in and abuse counters live in the shared cache and outlive a test (and a run): start from none."""
    caches["default"].clear()
    limits_cache.LOCAL.clear()
    yield
    limits_cache._failed_at = 0.0  # a test that broke the cache does not leave the next one counting locally
