import pytest
from django.core.cache import cache
from django.core.management import call_command

from tests.factories import SEED_FILE


@pytest.fixture
def seed(db):
    """The seed goal page's data (Uppsala, goal 5, August 2022), imported as `make run` does."""
    call_command("import_plan", str(SEED_FILE), verbosity=0)


@pytest.fixture
def page_cache(settings):
    """The page cache on, as in production, and empty (the test settings turn it off)."""
    settings.PAGE_CACHE_SECONDS = 600
    cache.clear()
    yield
    cache.clear()
