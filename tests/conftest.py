from pathlib import Path

import pytest
from django.core.management import call_command

SEED = Path(__file__).resolve().parent.parent / "fixtures" / "uppsala-goal5.json"


@pytest.fixture
def seed(db):
    """The seed goal page's data (Uppsala, goal 5, August 2022), imported as `make run` does."""
    call_command("import_plan", str(SEED), verbosity=0)
