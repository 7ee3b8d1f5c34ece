"""The staff roles, as groups an administrator gives to users in the admin.

The roles and their permissions are defined in assignments/roles.py; this migration applies
them to a new database through the migration's own app registry. A database that has this
migration already gets a changed role with `manage.py apply_roles`.
"""

from django.db import migrations

from assignments import roles


def create_groups(apps, schema_editor):
    # A permission of a model that a later migration creates is left out here; the
    # migration that creates it, or `manage.py apply_roles`, adds it.
    roles.apply_roles(apps, using=schema_editor.connection.alias, skip_unknown=True)


def remove_groups(apps, schema_editor):
    roles.remove_roles(apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0001_initial"),
        ("goals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
