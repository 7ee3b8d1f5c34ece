"""Re-importing a file never silently undoes work done in the portal.

An import remembers what it wrote. A record that staff changed since (edited, unpublished,
deleted) is a conflict: reported with its path and fields, and left as it is unless the
import is told to overwrite. A record that only the file changed is updated. A dry run
says all of this and writes nothing.
"""

import copy
import io
import json
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command

import opendata
from assignments.models import Assessment, Assignment, AssignmentResponsibility, ResponsibleBody
from goals.models import Goal, GoalAssessment, GoalLink, Organisation, Plan, ReportingPeriod
from opendata.importer import CONFLICT, CREATE, UPDATE
from opendata.models import ImportedRecord
from tests.factories import SEED_FILE, make_goal, make_period, make_plan
from tests.test_opendata import snapshot

pytestmark = pytest.mark.django_db

SEED = json.loads(SEED_FILE.read_text(encoding="utf-8"))
GOAL_PATH = "plans[0].goals[0]"
GOAL_RECORD = "goal 5 of plan 'mob-2022'"


def seed() -> dict:
    return copy.deepcopy(SEED)


def seed_goal(document: dict) -> dict:
    return document["plans"][0]["goals"][0]


def imported():
    """The seed, imported into an empty database."""
    return opendata.import_document(seed())


def summary(report) -> tuple[int, int, int, int]:
    return report.created, report.updated, report.unchanged, len(report.conflicts)


def write_document(folder: Path, document: dict) -> Path:
    path = folder / "plan.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    return path


def run(*args) -> str:
    out = io.StringIO()
    call_command("import_plan", *args, stdout=out)
    return out.getvalue()


# --------------------------------------------------------------------------- the seed


def test_the_seed_imported_again_is_unchanged_and_nothing_is_written():
    first = imported()
    before = snapshot()

    second = opendata.import_document(seed())

    assert summary(first) == (19, 0, 0, 0)
    assert summary(second) == (0, 0, 19, 0)
    assert second.changes == []
    assert snapshot() == before


def test_every_record_of_the_seed_is_remembered():
    imported()

    kinds = sorted(ImportedRecord.objects.values_list("model", flat=True))

    assert len(kinds) == 19
    assert kinds.count("assignments.assessment") == 5
    assert ImportedRecord.objects.get(model="goals.goal").key == '["mob-2022",5]'


def test_the_seed_shows_on_the_public_pages(client):
    """`make run` imports the seed into an empty database: the public must see it."""
    run("--if-empty", str(SEED_FILE))
    goal = Goal.objects.select_related("plan").get()

    for address in ("/", goal.plan.get_absolute_url(), goal.get_absolute_url()):
        response = client.get(address)
        assert response.status_code == 200, address
        assert "Uppsalas invånare ska ha bostad och arbete" in response.text, address
    assert "Arbetsmarknadsnämnden" in response.text  # the goal page lists the assignments


# --------------------------------------------------------------------------- conflicts


def test_a_goal_unpublished_by_staff_stays_unpublished():
    imported()
    Goal.objects.update(is_published=False)
    before = snapshot()

    report = opendata.import_document(seed())

    assert summary(report) == (0, 0, 18, 1)
    [conflict] = report.conflicts
    assert (conflict.path, conflict.record, conflict.fields) == (
        GOAL_PATH,
        GOAL_RECORD,
        ("is_published",),
    )
    assert str(conflict) == (
        "conflict plans[0].goals[0] (goal 5 of plan 'mob-2022'): changed in the portal since "
        "the last import (is_published); the file would change is_published; left as it is"
    )
    assert snapshot() == before
    assert not Goal.objects.get().is_published


def test_an_assessment_and_a_plan_unpublished_by_staff_stay_unpublished():
    imported()
    Assessment.objects.filter(assignment__number=2).update(is_published=False)
    GoalAssessment.objects.update(is_published=False)
    Plan.objects.update(is_published=False)

    report = opendata.import_document(seed())

    assert [c.path for c in report.conflicts] == [
        "plans[0]",
        "plans[0].goals[0].assessments[0]",
        "plans[0].goals[0].assignments[1].assessments[0]",
    ]
    assert not Plan.objects.get().is_published
    assert not GoalAssessment.objects.get().is_published
    assert Assessment.objects.filter(is_published=False).count() == 1


def test_a_text_edited_in_the_portal_is_kept_even_when_the_file_changes_the_record():
    imported()
    Goal.objects.update(description="Ny text, skriven i portalen.")
    document = seed()
    seed_goal(document)["title"] = "Ny rubrik från filen"
    seed_goal(document)["links"][0]["title"] = "Ny länktext från filen"

    report = opendata.import_document(document)

    [conflict] = report.conflicts
    assert conflict.fields == ("title", "description", "links")
    assert conflict.note == (
        "changed in the portal since the last import (description); the file would change "
        "title, description, links; left as it is"
    )
    goal = Goal.objects.get()
    assert goal.description == "Ny text, skriven i portalen."
    assert goal.title == "Uppsalas invånare ska ha bostad och arbete"
    assert GoalLink.objects.get().title.startswith("Läs en fördjupning")


def test_a_list_changed_in_the_portal_is_a_conflict_too():
    imported()
    assignment = Assignment.objects.get(number=3)
    AssignmentResponsibility.objects.filter(assignment=assignment, body__code="AMN").delete()

    report = opendata.import_document(seed())

    [conflict] = report.conflicts
    assert conflict.path == "plans[0].goals[0].assignments[2]"
    assert conflict.record == "assignment 3 of goal 5 of plan 'mob-2022'"
    assert conflict.note.startswith("changed in the portal since the last import (bodies)")
    assert [b.code for b in assignment.bodies.order_by("responsibilities__position")] == [
        "KS",
        "Uppsalahem",
    ]


def test_what_the_portal_did_not_touch_is_still_updated_beside_a_conflict():
    imported()
    Assessment.objects.filter(assignment__number=1).update(text="Rättat i portalen.")
    document = seed()
    for assignment in seed_goal(document)["assignments"]:
        assignment["assessments"][0]["text"] = f"Ny bedömning {assignment['number']}."

    report = opendata.import_document(document)

    assert summary(report) == (0, 4, 14, 1)
    assert report.conflicts[0].path == "plans[0].goals[0].assignments[0].assessments[0]"
    texts = dict(Assessment.objects.values_list("assignment__number", "text"))
    assert texts == {
        1: "Rättat i portalen.",
        2: "Ny bedömning 2.",
        3: "Ny bedömning 3.",
        4: "Ny bedömning 4.",
        5: "Ny bedömning 5.",
    }


def test_overwrite_writes_the_files_values_over_the_portals():
    imported()
    Goal.objects.update(is_published=False, tagline="Ändrad i portalen")
    Assessment.objects.filter(assignment__number=2).update(is_published=False)

    report = opendata.import_document(seed(), overwrite=True)

    assert summary(report) == (0, 2, 17, 0)
    update = report.changes[0]
    assert (update.action, update.path, update.fields) == (
        UPDATE,
        GOAL_PATH,
        ("tagline", "is_published"),
    )
    assert update.note == (
        "changed in the portal since the last import (tagline, is_published); "
        "overwritten (--overwrite)"
    )
    assert Goal.objects.get().is_published
    assert not Assessment.objects.filter(is_published=False).exists()
    # The file's values are remembered again: the next import has nothing to do.
    assert summary(opendata.import_document(seed())) == (0, 0, 19, 0)


def test_when_the_portal_and_the_file_agree_the_agreement_is_remembered():
    imported()
    Goal.objects.update(tagline="Ny devis")
    document = seed()
    seed_goal(document)["tagline"] = "Ny devis"

    agreed = opendata.import_document(document)
    seed_goal(document)["tagline"] = "Nästa devis"
    later = opendata.import_document(document)

    assert summary(agreed) == (0, 0, 19, 0)
    assert summary(later) == (0, 1, 18, 0)
    assert Goal.objects.get().tagline == "Nästa devis"


# --------------------------------------------------------------------------- made in the portal


def test_records_made_in_the_portal_that_equal_the_file_are_adopted():
    """A database imported before the import had a memory: every record is unchanged."""
    imported()
    ImportedRecord.objects.all().delete()

    adopted = opendata.import_document(seed())
    document = seed()
    seed_goal(document)["tagline"] = "Ändrad i filen"
    changed = opendata.import_document(document)

    assert summary(adopted) == (0, 0, 19, 0)
    assert ImportedRecord.objects.count() == 19
    assert summary(changed) == (0, 1, 18, 0)
    assert Goal.objects.get().tagline == "Ändrad i filen"


def test_a_record_made_in_the_portal_that_differs_from_the_file_is_a_conflict():
    plan = make_plan(code="mob-2022", name="Mål och budget 2022–2024", is_published=False)
    goal = make_goal(plan, number=5, title="Ett mål som staben skriver på")

    report = opendata.import_document(seed())

    assert [(c.path, c.fields) for c in report.conflicts] == [
        ("plans[0]", ("is_published",)),
        (GOAL_PATH, ("title", "tagline", "description", "focus", "links")),
    ]
    assert report.conflicts[0].note == (
        "made in the portal, not by an import; the file would change is_published; left as it is"
    )
    goal.refresh_from_db()
    assert goal.title == "Ett mål som staben skriver på"
    assert not Plan.objects.get().is_published
    # What lies under them and is new is created.
    assert Assignment.objects.filter(goal=goal).count() == 5


# --------------------------------------------------------------------------- deleted in the portal


def test_a_record_deleted_in_the_portal_stays_deleted():
    imported()
    Assessment.objects.filter(assignment__number=4).delete()

    report = opendata.import_document(seed())

    [conflict] = report.conflicts
    assert str(conflict) == (
        "conflict plans[0].goals[0].assignments[3].assessments[0] (assessment of assignment 4 "
        "of goal 5 of plan 'mob-2022' for period '2022-08'): deleted in the portal since the "
        "last import; left out"
    )
    assert not Assessment.objects.filter(assignment__number=4).exists()

    report = opendata.import_document(seed(), overwrite=True)

    assert [(c.action, c.note) for c in report.changes] == [
        (CREATE, "deleted in the portal; made again (--overwrite)")
    ]
    assert Assessment.objects.filter(assignment__number=4).exists()


def test_a_plan_deleted_in_the_portal_stays_deleted_with_everything_under_it():
    imported()
    Plan.objects.all().delete()

    report = opendata.import_document(seed())

    assert [str(c) for c in report.conflicts] == [
        "conflict plans[0] (plan 'mob-2022'): deleted in the portal since the last import; "
        "left out with everything under it"
    ]
    assert not Plan.objects.exists()
    assert not Goal.objects.exists()


def test_an_assignment_that_names_a_body_deleted_in_the_portal_is_left():
    imported()
    AssignmentResponsibility.objects.filter(body__code="SCN").delete()
    ResponsibleBody.objects.filter(code="SCN").delete()

    report = opendata.import_document(seed())

    assert [(c.path, c.note) for c in report.conflicts] == [
        ("bodies[2]", "deleted in the portal since the last import; left out"),
        (
            "plans[0].goals[0].assignments[3]",
            "names body 'SCN', which was deleted in the portal; left as it is",
        ),
    ]
    assert not ResponsibleBody.objects.filter(code="SCN").exists()


def test_an_assessment_for_a_period_deleted_in_the_portal_is_left():
    imported()
    Assessment.objects.all().delete()
    GoalAssessment.objects.all().delete()
    make_period(code="2022-08-ny")  # another period; the imported one is deleted
    ReportingPeriod.objects.filter(code="2022-08").delete()

    report = opendata.import_document(seed())

    assert len(report.conflicts) == 7  # the period, one goal and five assignment assessments
    assert report.conflicts[1].note == "its period '2022-08' was deleted in the portal; left out"
    assert not Assessment.objects.exists()


# --------------------------------------------------------------------------- dry run


def test_a_dry_run_writes_nothing_and_says_what_would_happen():
    imported()
    Goal.objects.update(is_published=False)
    before = snapshot()
    document = seed()
    document["organisation"]["name"] = "Uppsala kommun (ny)"
    document["periods"].append({"code": "2022-12", "name": "December 2022", "date": "2022-12-31"})

    report = opendata.import_document(document, dry_run=True)

    assert snapshot() == before
    assert [(c.action, c.path) for c in report.changes] == [
        (UPDATE, "organisation"),
        (CREATE, "periods[1]"),
        (CONFLICT, GOAL_PATH),
    ]
    assert str(report) == (
        "Dry run, nothing was written. The import would give: 1 created, 1 updated, "
        "17 unchanged, 1 conflict left as in the portal."
    )
    assert not report.wrote


def test_a_dry_run_into_an_empty_database_writes_nothing():
    report = opendata.import_document(seed(), dry_run=True)

    assert report.created == 19
    assert all(not rows for rows in snapshot().values())


def test_import_plan_dry_run_lists_every_change_and_writes_nothing(tmp_path):
    imported()
    Goal.objects.update(tagline="Ändrad i portalen")
    before = snapshot()
    document = seed()
    seed_goal(document)["assignments"][0]["assessments"][0]["status"] = "completed"

    with mock.patch("opendata.management.commands.import_plan.content_changed") as changed:
        output = run("--dry-run", str(write_document(tmp_path, document)))

    assert snapshot() == before
    changed.assert_not_called()
    lines = output.splitlines()
    assert lines[0].startswith("conflict plans[0].goals[0] (goal 5 of plan 'mob-2022'): ")
    assert lines[1] == (
        "update   plans[0].goals[0].assignments[0].assessments[0] (assessment of assignment 1 "
        "of goal 5 of plan 'mob-2022' for period '2022-08'): status"
    )
    assert "Dry run, nothing was written. The import would give: 0 created, 1 updated" in lines[2]


# --------------------------------------------------------------------------- the command


def test_import_plan_lists_conflicts_and_renews_the_page_cache_only_after_writing():
    with mock.patch("opendata.management.commands.import_plan.content_changed") as changed:
        run(str(SEED_FILE))
        assert changed.call_count == 1
        Goal.objects.update(is_published=False)

        output = run(str(SEED_FILE))

    assert changed.call_count == 1  # the second import wrote nothing
    assert output.splitlines() == [
        "conflict plans[0].goals[0] (goal 5 of plan 'mob-2022'): changed in the portal since "
        "the last import (is_published); the file would change is_published; left as it is",
        f"{SEED_FILE}: Import finished: 0 created, 0 updated, 18 unchanged, 1 conflict left "
        "as in the portal.",
        "The conflicts keep the portal's values; --overwrite writes the file's.",
    ]

    output = run("--overwrite", str(SEED_FILE))

    assert "0 created, 1 updated, 18 unchanged, 0 conflicts" in output
    assert Goal.objects.get().is_published


def test_import_plan_verbosity_2_lists_what_it_writes():
    output = run("-v", "2", str(SEED_FILE))

    assert output.splitlines()[0] == "create   organisation (the organisation)"
    assert "create   plans[0] (plan 'mob-2022')" in output.splitlines()


def test_import_plan_if_empty_checks_for_plans_only():
    Organisation.objects.create(name="Annan kommun")
    make_period()

    run("--if-empty", str(SEED_FILE))

    assert Plan.objects.get().code == "mob-2022"
    assert "Skipped" in run("--if-empty", str(SEED_FILE))
