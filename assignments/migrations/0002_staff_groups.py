"""The two staff roles, as groups an administrator gives to users in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

OFFICIALS = "Handläggare"
PUBLISHERS = "Publicister"

OFFICIAL_PERMISSIONS = [
    ("assignments", "view_assignment"),
    ("assignments", "view_assessment"),
    ("assignments", "add_assessment"),
    ("assignments", "change_assessment"),
    ("assignments", "view_responsiblebody"),
    ("goals", "view_goal"),
    ("goals", "view_reportingperiod"),
]
PUBLISHER_PERMISSIONS = [
    *OFFICIAL_PERMISSIONS,
    ("assignments", "publish_assessment"),
    ("goals", "view_goalassessment"),
    ("goals", "add_goalassessment"),
    ("goals", "change_goalassessment"),
]


def create_groups(apps, schema_editor):
    # Permissions are normally created after all migrations have run; create them now.
    for app_label in ("assignments", "goals"):
        app_config = apps.get_app_config(app_label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, wanted in ((OFFICIALS, OFFICIAL_PERMISSIONS), (PUBLISHERS, PUBLISHER_PERMISSIONS)):
        group, _ = Group.objects.get_or_create(name=name)
        for app_label, codename in wanted:
            group.permissions.add(
                Permission.objects.get(content_type__app_label=app_label, codename=codename)
            )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=[OFFICIALS, PUBLISHERS]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assignments", "0001_initial"),
        ("goals", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
