"""The staff roles of assignments/roles.py: the groups hold exactly their permissions, after
the migration and after `manage.py apply_roles`."""

import importlib
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assignments import roles
from assignments.roles import COORDINATORS, OFFICIALS, ROLES, Role, apply_roles


def permissions_of(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {
        f"{app_label}.{codename}"
        for app_label, codename in group.permissions.values_list(
            "content_type__app_label", "codename"
        )
    }


def run_apply_roles() -> str:
    out = StringIO()
    call_command("apply_roles", stdout=out)
    return out.getvalue()


def test_the_migration_gave_each_group_exactly_its_roles_permissions(db):
    for role in ROLES:
        assert permissions_of(role.name) == role.permissions


def test_officials_write_assessments_and_change_nothing_else(db):
    assert roles.PUBLISH_PERMISSION not in OFFICIALS.permissions
    assert not {p for p in OFFICIALS.permissions if ".delete_" in p}
    writes = {p for p in OFFICIALS.permissions if p.split(".")[1].startswith(("add_", "change_"))}
    assert writes == {"assignments.add_assessment", "assignments.change_assessment"}
    assert not {p for p in OFFICIALS.permissions if "goalassessment" in p}
    assert {
        "goals.view_plan",
        "goals.view_goal",
        "goals.view_reportingperiod",
        "assignments.view_assignment",
        "assignments.view_responsiblebody",
        "assignments.view_assessment",
    } <= OFFICIALS.permissions


def test_the_coordinator_manages_the_plan_and_reviews(db):
    assert OFFICIALS.permissions < COORDINATORS.permissions
    assert roles.PUBLISH_PERMISSION in COORDINATORS.permissions
    for model in (
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
    ):
        app_label, name = model.split(".")
        for action in ("view", "add", "change", "delete"):
            assert f"{app_label}.{action}_{name}" in COORDINATORS.permissions
    assert not {p for p in COORDINATORS.permissions if p.startswith("auth.")}
    assert "goals.change_organisation" not in COORDINATORS.permissions


def test_may_review_is_the_coordinators_and_the_administrators(db):
    official = User.objects.create_user("h", is_staff=True)
    official.groups.add(Group.objects.get(name=OFFICIALS.name))
    coordinator = User.objects.create_user("s", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATORS.name))
    former = User.objects.create_user("f", is_staff=False)
    former.groups.add(Group.objects.get(name=COORDINATORS.name))
    admin = User.objects.create_superuser("a")
    assert [roles.may_review(u) for u in (official, coordinator, former, admin)] == [
        False,
        True,
        False,  # no longer staff
        True,
    ]


def test_apply_roles_changes_nothing_when_the_groups_are_right(db):
    assert apply_roles() == []
    assert "already up to date" in run_apply_roles()


def test_apply_roles_restores_a_group_someone_changed(db):
    officials = Group.objects.get(name=OFFICIALS.name)
    officials.permissions.remove(
        Permission.objects.get(content_type__app_label="assignments", codename="add_assessment")
    )
    officials.permissions.add(
        Permission.objects.get(
            content_type__app_label="assignments", codename="publish_assessment"
        ),
        Permission.objects.get(content_type__app_label="auth", codename="change_user"),
    )

    out = run_apply_roles()

    assert "Handläggare: + assignments.add_assessment" in out
    assert "Handläggare: - assignments.publish_assessment" in out
    assert "Handläggare: - auth.change_user" in out
    assert "Samordnare" not in out.replace("Roles applied: Handläggare, Samordnare.", "")
    assert permissions_of(OFFICIALS.name) == OFFICIALS.permissions
    assert "already up to date" in run_apply_roles()


def test_apply_roles_recreates_a_deleted_group(db):
    Group.objects.filter(name=COORDINATORS.name).delete()
    out = run_apply_roles()
    assert "Samordnare: group created" in out
    assert permissions_of(COORDINATORS.name) == COORDINATORS.permissions


def test_apply_roles_leaves_other_groups_alone(db):
    other = Group.objects.create(name="Kommunikatörer")
    other.permissions.add(Permission.objects.get(codename="view_plan"))
    run_apply_roles()
    assert permissions_of("Kommunikatörer") == {"goals.view_plan"}


def test_the_migration_applies_the_roles_through_its_own_app_registry(db):
    # The state the data migration runs in: its models, not the live ones.
    state = MigrationExecutor(connection).loader.project_state(
        ("assignments", "0002_staff_groups"), at_end=True
    )
    Group.objects.all().delete()
    changes = apply_roles(state.apps, skip_unknown=True)
    assert changes  # the groups were created again
    for role in ROLES:
        assert permissions_of(role.name) == role.permissions

    roles.remove_roles(state.apps)
    assert not Group.objects.filter(name__in=[role.name for role in ROLES]).exists()


def test_a_permission_that_does_not_exist_is_an_error_outside_migrations(db):
    unknown = Role(name="Prov", summary="", permissions=frozenset({"goals.fly_plan"}))
    with pytest.raises(LookupError, match=r"goals\.fly_plan"):
        apply_roles(roles=(unknown,))
    assert not Group.objects.filter(name="Prov").exists()
    changes = apply_roles(roles=(unknown,), skip_unknown=True)
    assert "goals.fly_plan: no such permission yet, left out" in changes
    assert permissions_of("Prov") == set()


def migrate_roles(state_name: str):
    """The registry of the state after `state_name`, for running a data migration's code."""
    return (
        MigrationExecutor(connection)
        .loader.project_state(("assignments", state_name), at_end=True)
        .apps
    )


def test_the_migration_renames_the_publishers_to_coordinators_with_their_members(db):
    migration = importlib.import_module("assignments.migrations.0006_coordinators")
    Group.objects.filter(name=COORDINATORS.name).delete()
    publishers = Group.objects.create(name="Publicister")
    member = User.objects.create_user("publicist", is_staff=True)
    member.groups.add(publishers)

    migration.coordinators(migrate_roles("0006_coordinators"), connection.schema_editor())

    assert not Group.objects.filter(name="Publicister").exists()
    coordinators = Group.objects.get(name=COORDINATORS.name)
    assert list(coordinators.user_set.all()) == [member]
    assert permissions_of(COORDINATORS.name) == COORDINATORS.permissions
    member = User.objects.get(pk=member.pk)
    assert roles.may_review(member)


def test_the_migration_merges_the_publishers_into_an_existing_coordinators_group(db):
    migration = importlib.import_module("assignments.migrations.0006_coordinators")
    publishers = Group.objects.create(name="Publicister")
    publishers.permissions.add(Permission.objects.get(codename="change_user"))
    former = User.objects.create_user("publicist", is_staff=True)
    former.groups.add(publishers)
    already = User.objects.create_user("samordnare", is_staff=True)
    already.groups.add(Group.objects.get(name=COORDINATORS.name))

    migration.coordinators(migrate_roles("0006_coordinators"), connection.schema_editor())

    assert not Group.objects.filter(name="Publicister").exists()
    members = Group.objects.get(name=COORDINATORS.name).user_set.all()
    assert set(members) == {former, already}
    assert permissions_of(COORDINATORS.name) == COORDINATORS.permissions


def test_the_migration_back_renames_the_group_again(db):
    migration = importlib.import_module("assignments.migrations.0006_coordinators")
    migration.publishers(migrate_roles("0006_coordinators"), connection.schema_editor())
    assert Group.objects.filter(name="Publicister").exists()
    assert not Group.objects.filter(name=COORDINATORS.name).exists()
