"""The reporting round's roles: the group "Publicister" becomes "Samordnare" (the
coordinator) with its members, and both roles get the permissions of assignments/roles.py:
officials see plans, goals, assignments, periods and bodies and write assessments; the
coordinator manages plans, goals, assignments, bodies and periods, and reviews and publishes.
"""

from django.db import migrations

from assignments import roles


def coordinators(apps, schema_editor):
    using = schema_editor.connection.alias
    roles.rename_group(apps, roles.FORMER_COORDINATORS_NAME, roles.COORDINATORS.name, using=using)
    roles.apply_roles(apps, using=using, skip_unknown=True)


def publishers(apps, schema_editor):
    # The way back renames the group; its permissions stay those of the coordinator.
    roles.rename_group(
        apps,
        roles.COORDINATORS.name,
        roles.FORMER_COORDINATORS_NAME,
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0005_reporting_round"),
        ("goals", "0004_reporting_round"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(coordinators, publishers)]
