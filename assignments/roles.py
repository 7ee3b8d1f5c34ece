"""The staff roles, and the one permission that makes content public.

Each role is a group of users that an administrator gives to staff users in the admin. The
groups hold exactly the permissions listed here: apply_roles() creates or updates them, the
data migration 0002_staff_groups applies them to a new database, later migrations (0003,
0006) re-apply them when a role changed, and

    python manage.py apply_roles

re-applies them to an existing one (after someone changed a group by hand in the admin).
Which assignments and assessments a user may act on is not a permission but
`Assignment.objects.editable_by(user)` and `Assessment.objects.editable_by(user)`: the
bodies the user is an official of, or all of them for the coordinator (may_review).

Superusers (the administrators) hold every permission without a group.
"""

from dataclasses import dataclass

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import DEFAULT_DB_ALIAS

# The permission to make content public, and to review what officials submit: whoever lacks
# it writes drafts of their own bodies' assessments and submits them.
PUBLISH_PERMISSION = "assignments.publish_assessment"


@dataclass(frozen=True)
class Role:
    name: str  # the group's name, as administrators see it in the admin
    summary: str
    permissions: frozenset[str]  # "app_label.codename"


def _manage(*models: str) -> frozenset[str]:
    """View, add, change and delete of each "app_label.model"."""
    return frozenset(
        f"{model.split('.')[0]}.{action}_{model.split('.')[1]}"
        for model in models
        for action in ("view", "add", "change", "delete")
    )


OFFICIALS = Role(
    name="Handläggare",
    summary=(
        "Officials of a committee or company: write, save and submit the assessments of "
        "the assignments their bodies answer for, in a period open for reporting; see the "
        "plans, goals, assignments, periods and bodies they need for that, and change none."
    ),
    permissions=frozenset(
        {
            "assignments.view_assessment",
            "assignments.add_assessment",
            "assignments.change_assessment",
            "assignments.view_assignment",
            "assignments.view_responsiblebody",
            "goals.view_plan",
            "goals.view_goal",
            "goals.view_reportingperiod",
        }
    ),
)

COORDINATORS = Role(
    name="Samordnare",
    summary=(
        "The coordinator at the municipal executive office: manages plans, goals, "
        "assignments, bodies and reporting periods; writes the goal assessments; reviews "
        "the officials' assessments, returns them with a comment, approves and publishes."
    ),
    permissions=_manage(
        "goals.plan",
        "goals.goal",
        "goals.focusarea",
        "goals.goallink",
        "goals.goalaction",
        "goals.reportingperiod",
        "goals.goalassessment",
        "assignments.assignment",
        "assignments.assignmentresponsibility",
        "assignments.responsiblebody",
        "assignments.assessment",
    )
    | {PUBLISH_PERMISSION},
)

ROLES: tuple[Role, ...] = (OFFICIALS, COORDINATORS)

# The coordinators' group was called this before the reporting round (migration 0006).
FORMER_COORDINATORS_NAME = "Publicister"


def may_publish(user) -> bool:
    """Whether the user may make content public: the coordinator and the administrators."""
    return user.has_perm(PUBLISH_PERMISSION)


def may_review(user) -> bool:
    """Whether the user is the coordinator (or an administrator): reviews, returns,
    approves and publishes the assessments of every body."""
    return user.is_active and user.is_staff and may_publish(user)


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


def rename_group(apps, old: str, new: str, *, using: str = DEFAULT_DB_ALIAS) -> None:
    """Rename the group `old` to `new` with its members. When both exist, the members of
    `old` join `new` and `old` is deleted: no group with a role's former permissions stays
    behind. Nothing happens when `old` does not exist."""
    Group = apps.get_model("auth", "Group")
    groups = Group.objects.using(using)
    former = groups.filter(name=old).first()
    if former is None:
        return
    current = groups.filter(name=new).first()
    if current is None:
        former.name = new
        former.save(update_fields=["name"])
        return
    current.user_set.add(*former.user_set.all())
    former.delete()


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
