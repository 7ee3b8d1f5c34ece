"""Re-applies the staff roles of assignments/roles.py to a database that had them already.

Publishers gained the publication of plans and goals (goals 0002). A new database gets
the roles from 0002; an existing one gets the changed roles here, on `migrate`, with no
manual step when deploying.
"""

from django.db import migrations

from assignments import roles


def reapply_roles(apps, schema_editor):
    roles.apply_roles(apps, using=schema_editor.connection.alias, skip_unknown=True)


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0002_staff_groups"),
        ("goals", "0002_plan_publication"),
    ]

    operations = [migrations.RunPython(reapply_roles, migrations.RunPython.noop)]
