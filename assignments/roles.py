"""The staff roles, and the one permission that makes content public.

Each role is a group of users that an administrator gives to staff users in the admin. The
groups hold exactly the permissions listed here: apply_roles() creates or updates them, the
data migration 0002_staff_groups applies them to a new database, and

    python manage.py apply_roles

re-applies them to an existing one (after a role changes here, or after someone changed a
group by hand in the admin). Which assignments a user may act on is not a permission but
`Assignment.objects.editable_by(user)`: the bodies the user is an official of.

Superusers (the administrators) hold every permission without a group.
"""

from dataclasses import dataclass

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

# The permission to make content public, and to change or delete what is public: whoever
# lacks it enters drafts only, and sees published assessments read-only.
PUBLISH_PERMISSION = "assignments.publish_assessment"


@dataclass(frozen=True)
class Role:
    name: str  # the group's name, as administrators see it in the admin
    summary: str
    permissions: frozenset[str]  # "app_label.codename"


OFFICIALS = Role(
    name="Handläggare",
    summary=(
        "Officials of a committee or company: enter draft assessments of the assignments "
        "their bodies answer for; see the goals, periods and bodies they need for that."
    ),
    permissions=frozenset(
        {
            "assignments.view_assignment",
            "assignments.view_assessment",
            "assignments.add_assessment",
            "assignments.change_assessment",
            "assignments.view_responsiblebody",
            "goals.view_goal",
            "goals.view_reportingperiod",
        }
    ),
)

PUBLISHERS = Role(
    name="Publicister",
    summary=(
        "Publishers: what officials may, and also publish (and correct) assessments, enter "
        "the goal assessments, and publish or withdraw plans and goals."
    ),
    permissions=OFFICIALS.permissions
    | {
        PUBLISH_PERMISSION,
        "goals.view_goalassessment",
        "goals.add_goalassessment",
        "goals.change_goalassessment",
        "goals.view_plan",
        "goals.change_plan",
        "goals.change_goal",
    },
)

ROLES: tuple[Role, ...] = (OFFICIALS, PUBLISHERS)


def may_publish(user) -> bool:
    """Whether the user may make content public, and change or delete what is public."""
    return user.has_perm(PUBLISH_PERMISSION)


def apply_roles(
    apps=global_apps,
    *,
    using: str = DEFAULT_DB_ALIAS,
    roles: tuple[Role, ...] = ROLES,
    skip_unknown: bool = False,
) -> list[str]:
    """Create or update each role's group to hold exactly the role's permissions.

    Returns what changed, one line per group created and per permission added or removed;
    an empty list when every group was right already. `apps` is the app registry: the live
    one, or a data migration's. A permission of a model the registry does not hold raises
    LookupError, or with skip_unknown=True (for migrations that run before the model
    exists) is left out and reported.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    wanted = set().union(*(role.permissions for role in roles))
    _create_permissions(apps, {name.split(".")[0] for name in wanted}, using)
    found = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.using(using)
        .filter(content_type__app_label__in={name.split(".")[0] for name in wanted})
        .values_list("pk", "content_type__app_label", "codename")
    }
    changes = []
    for name in sorted(wanted - found.keys()):
        if not skip_unknown:
            raise LookupError(f"No permission {name!r}: is the model installed?")
        changes.append(f"{name}: no such permission yet, left out")
    for role in roles:
        group, created = Group.objects.using(using).get_or_create(name=role.name)
        if created:
            changes.append(f"{role.name}: group created")
        had = {
            f"{app_label}.{codename}"
            for app_label, codename in group.permissions.values_list(
                "content_type__app_label", "codename"
            )
        }
        should = {name for name in role.permissions if name in found}
        changes += [f"{role.name}: + {name}" for name in sorted(should - had)]
        changes += [f"{role.name}: - {name}" for name in sorted(had - should)]
        if should != had:
            group.permissions.set([found[name] for name in should])
    return changes


def remove_roles(apps=global_apps, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Delete the roles' groups (a migration's way back)."""
    Group = apps.get_model("auth", "Group")
    Group.objects.using(using).filter(name__in=[role.name for role in ROLES]).delete()


def _create_permissions(apps, app_labels: set[str], using: str) -> None:
    """Create the models' default and own permissions now, as migrate does at its end.

    In a data migration the permissions of the apps' models do not exist yet: Django creates
    them after the last migration has run. A migration's app registry marks its apps as
    having no models module, which create_permissions() takes for "no models"; a models
    module is pretended while the permissions are created.
    """
    for app_label in sorted(app_labels):
        try:
            app_config = apps.get_app_config(app_label)
        except LookupError:
            continue
        models_module = getattr(app_config, "models_module", None)
        app_config.models_module = models_module or True
        try:
            create_permissions(app_config, verbosity=0, using=using, apps=apps)
        finally:
            app_config.models_module = models_module
