"""What the search of assignments needs on PostgreSQL (assignments/search.py): the trigram
functions (pg_trgm), and two GIN indexes of the assessments' texts, one of their Swedish
full-text vectors (the expression search.SwedishMatch writes) and one of their trigrams
(for ILIKE). Nothing on SQLite. The indexes are not part of the models' state, as Django
cannot express an index with a text search configuration written into it.

Creating the extension needs a role that may create a trusted extension in the database
(the database's owner, PostgreSQL 13 or newer) or a superuser.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = {
    "assignments_assessment_text_fts": "USING gin (to_tsvector('swedish'::regconfig, text))",
    "assignments_assessment_text_trgm": "USING gin (text gin_trgm_ops)",
}
# Each new text goes into the index at once, not into GIN's pending list first: texts are
# written a few hundred a round, and the planner then keeps choosing the index.
STORAGE = "WITH (fastupdate = off)"


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON assignments_assessment {definition} {STORAGE}"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("assignments", "0006_coordinators")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes, elidable=False),
    ]
