"""The staff roles of assignments/roles.py: the groups hold exactly their permissions, after
the migration and after `manage.py apply_roles`."""

from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from assignments import roles
from assignments.roles import OFFICIALS, PUBLISHERS, ROLES, Role, apply_roles


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


def test_officials_enter_drafts_and_publishers_publish(db):
    assert roles.PUBLISH_PERMISSION not in OFFICIALS.permissions
    assert not {p for p in OFFICIALS.permissions if ".delete_" in p}
    assert not {
        p for p in OFFICIALS.permissions if p.startswith("goals.") and "goalassessment" in p
    }
    assert OFFICIALS.permissions < PUBLISHERS.permissions
    assert roles.PUBLISH_PERMISSION in PUBLISHERS.permissions
    assert {"goals.view_plan", "goals.change_plan", "goals.change_goal"} <= PUBLISHERS.permissions


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
    assert "Publicister" not in out.replace("Roles applied: Handläggare, Publicister.", "")
    assert permissions_of(OFFICIALS.name) == OFFICIALS.permissions
    assert "already up to date" in run_apply_roles()


def test_apply_roles_recreates_a_deleted_group(db):
    Group.objects.filter(name=PUBLISHERS.name).delete()
    out = run_apply_roles()
    assert "Publicister: group created" in out
    assert permissions_of(PUBLISHERS.name) == PUBLISHERS.permissions


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
