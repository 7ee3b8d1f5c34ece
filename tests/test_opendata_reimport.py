"""Re-importing a file never silently undoes work done in the portal.

An import remembers what it wrote. A record that staff changed since (edited, unpublished,
deleted, or for an assessment corrected with a newer version) is a conflict: reported with
its path and fields, and left as it is unless the import is told to overwrite. A record
that only the file changed is updated; an assessment by a new version, never in place. A
correction in review in the portal is left alone, even with --overwrite. A dry run says
all of this and writes nothing.
"""

import copy
import datetime
import io
import json
from pathlib import Path
from unittest import mock

import pytest
from django.core.management import call_command
from django.db.models import ProtectedError

import opendata
from assignments.models import (
    Assessment,
    Assignment,
    AssignmentResponsibility,
    ResponsibleBody,
    ReviewState,
)
from goals.models import Goal, GoalAssessment, GoalLink, Organisation, Plan, ReportingPeriod
from opendata.importer import CONFLICT, CREATE, IMPORT_CORRECTION_REASON, UPDATE
from opendata.models import ImportedRecord
from tests.factories import SEED_FILE, make_assessment, make_goal, make_period, make_plan
from tests.test_opendata import publish_correction, snapshot

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


def with_unassessed_plan(document: dict) -> dict:
    """The seed with a second plan whose goal has an assignment not assessed yet: what the
    portal may still delete (what a published assessment belongs to, it never deletes)."""
    goal = {"number": 1, "title": "Nytt mål", "assignments": [UNASSESSED]}
    plan = {"code": "mob-2025", "name": "Ny plan", "start_year": 2025, "end_year": 2027}
    document["plans"].append(plan | {"goals": [goal]})
    return document


UNASSESSED = {"number": 1, "title": "Ett uppdrag som inte bedömts", "bodies": ["KS"]}


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


def test_a_plan_unpublished_and_assessments_corrected_in_the_portal_are_kept():
    imported()
    portal_version = publish_correction(
        Assessment.objects.get(assignment__number=2), text="Rättad i portalen."
    )
    publish_correction(GoalAssessment.objects.get(), fulfilment="partly")
    Plan.objects.update(is_published=False)
    before = snapshot()

    report = opendata.import_document(seed())

    assert [(c.path, c.fields) for c in report.conflicts] == [
        ("plans[0]", ("is_published",)),
        ("plans[0].goals[0].assessments[0]", ("fulfilment",)),
        ("plans[0].goals[0].assignments[1].assessments[0]", ("text",)),
    ]
    assert report.conflicts[2].note == (
        "corrected in the portal since the last import (text); the file would change text; "
        "left as it is"
    )
    assert snapshot() == before
    assert Assessment.objects.published().get(assignment__number=2) == portal_version
    assert GoalAssessment.objects.published().get().fulfilment == "partly"


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
    publish_correction(Assessment.objects.get(assignment__number=1), text="Rättat i portalen.")
    document = seed()
    for assignment in seed_goal(document)["assignments"]:
        assignment["assessments"][0]["text"] = f"Ny bedömning {assignment['number']}."

    report = opendata.import_document(document)

    assert summary(report) == (0, 4, 14, 1)
    assert report.conflicts[0].path == "plans[0].goals[0].assignments[0].assessments[0]"
    texts = dict(Assessment.objects.published().values_list("assignment__number", "text"))
    assert texts == {
        1: "Rättat i portalen.",
        2: "Ny bedömning 2.",
        3: "Ny bedömning 3.",
        4: "Ny bedömning 4.",
        5: "Ny bedömning 5.",
    }
    # Each of the four has its imported version, superseded, and a correction of it.
    assert Assessment.objects.filter(state=ReviewState.SUPERSEDED).count() == 5


def test_overwrite_writes_the_files_values_over_the_portals():
    imported()
    Goal.objects.update(is_published=False, tagline="Ändrad i portalen")
    imported_version = Assessment.objects.get(assignment__number=2)
    portal_version = publish_correction(imported_version, text="Rättad i portalen.")

    report = opendata.import_document(seed(), overwrite=True)

    assert summary(report) == (0, 2, 17, 0)
    goal_update, assessment_update = report.changes
    assert (goal_update.action, goal_update.path, goal_update.fields) == (
        UPDATE,
        GOAL_PATH,
        ("tagline", "is_published"),
    )
    assert goal_update.note == (
        "changed in the portal since the last import (tagline, is_published); "
        "overwritten (--overwrite)"
    )
    assert assessment_update.note == (
        "corrected in the portal since the last import (text); overwritten (--overwrite); "
        "published as a new version that corrects the portal's"
    )
    assert Goal.objects.get().is_published
    # The file's values are a new version; the portal's correction stays, superseded.
    portal_version.refresh_from_db()
    assert (portal_version.state, portal_version.text) == (
        ReviewState.SUPERSEDED,
        "Rättad i portalen.",
    )
    current = portal_version.correction
    assert current.is_published and current.text == imported_version.text
    assert current.correction_reason == IMPORT_CORRECTION_REASON
    assert list(
        Assessment.objects.filter(assignment__number=2).order_by("pk").values_list("state")
    ) == [(ReviewState.SUPERSEDED,), (ReviewState.SUPERSEDED,), (ReviewState.PUBLISHED,)]
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


# --------------------------------------------------------------------------- in review


def draft_correction(assignment_number: int, **fields) -> Assessment:
    """A correction of the published assessment of assignment `assignment_number`, begun in
    the portal and not yet published."""
    published = Assessment.objects.published().get(assignment__number=assignment_number)
    fields = {"state": ReviewState.DRAFT, "text": "Rättelse under arbete.", **fields}
    return make_assessment(
        published.assignment,
        published.period,
        status=published.status,
        corrects=published,
        correction_reason="Fel årtal.",
        **fields,
    )


@pytest.mark.parametrize("state", ReviewState.in_review())
def test_a_correction_in_review_is_left_alone_when_the_file_agrees_with_the_published(state):
    imported()
    correction = draft_correction(2, state=state)
    before = snapshot()

    report = opendata.import_document(seed())

    assert summary(report) == (0, 0, 19, 0)
    assert snapshot() == before
    correction.refresh_from_db()
    assert (correction.state, correction.text) == (state, "Rättelse under arbete.")


@pytest.mark.parametrize("overwrite", [False, True], ids=["plain", "overwrite"])
def test_a_record_whose_correction_is_in_review_is_a_conflict_even_with_overwrite(overwrite):
    imported()
    published = Assessment.objects.get(assignment__number=2)
    draft_correction(2)
    before = snapshot()
    document = seed()
    seed_goal(document)["assignments"][1]["assessments"][0]["text"] = "Ny text från filen."

    report = opendata.import_document(document, overwrite=overwrite)

    [conflict] = report.changes
    assert (conflict.action, conflict.fields) == (CONFLICT, ("text",))
    assert conflict.note == (
        "a correction of it is in review in the portal (draft); the file would change text; "
        "left as it is, also with --overwrite, until the correction is published or withdrawn"
    )
    assert snapshot() == before
    assert Assessment.objects.published().get(assignment__number=2) == published


def test_a_draft_that_is_not_part_of_the_format_is_left_alone_beside_a_new_version():
    """A body's draft of a new period stays as it is when the file publishes that period."""
    imported()
    december = make_period(code="2022-12", name="December 2022", date=datetime.date(2022, 12, 31))
    body = ResponsibleBody.objects.get(code="AMN")
    assignment = Assignment.objects.get(number=2)
    draft = make_assessment(assignment, december, body=body, text="Utkast", is_published=False)
    document = seed()
    document["periods"].append({"code": "2022-12", "name": "December 2022", "date": "2022-12-31"})
    seed_goal(document)["assignments"][1]["assessments"].append(
        {"period": "2022-12", "status": "completed", "text": "Klart."}
    )

    report = opendata.import_document(document)

    assert [(c.action, c.path) for c in report.changes] == [
        (CREATE, "plans[0].goals[0].assignments[1].assessments[1]")
    ]
    assert Assessment.objects.published().get(period=december).text == "Klart."
    draft.refresh_from_db()
    assert (draft.state, draft.text, draft.body) == (ReviewState.DRAFT, "Utkast", body)


def test_parts_published_by_the_bodies_that_differ_from_the_file_are_a_conflict():
    imported()
    december = make_period(code="2022-12", name="December 2022", date=datetime.date(2022, 12, 31))
    assignment = Assignment.objects.get(number=2)
    parts = [
        make_assessment(assignment, december, body=ResponsibleBody.objects.get(code=code))
        for code in ("KS", "AMN")
    ]
    document = seed()
    document["periods"].append({"code": "2022-12", "name": "December 2022", "date": "2022-12-31"})
    seed_goal(document)["assignments"][1]["assessments"].append(
        {"period": "2022-12", "status": "completed", "text": "Klart."}
    )
    path = "plans[0].goals[0].assignments[1].assessments[1]"

    kept = opendata.import_document(copy.deepcopy(document))
    written = opendata.import_document(copy.deepcopy(document), overwrite=True)

    assert [(c.path, c.note) for c in kept.conflicts] == [
        (
            path,
            "made in the portal, not by an import; the file would change status, text; "
            "left as it is",
        )
    ]
    assert [(c.action, c.path, c.note) for c in written.changes] == [
        (
            UPDATE,
            path,
            "made in the portal, not by an import; overwritten (--overwrite); published as "
            "the municipality's own, beside the bodies' parts",
        )
    ]
    own = Assessment.objects.published().get(period=december, body=None)
    assert (own.status, own.text, own.corrects) == ("completed", "Klart.", None)
    for part in parts:  # the bodies' parts stay published, as they were
        part_now = Assessment.objects.get(pk=part.pk)
        assert (part_now.state, part_now.text) == (ReviewState.PUBLISHED, part.text)
    assert opendata.export_document() == document


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
    opendata.import_document(with_unassessed_plan(seed()))
    Assignment.objects.filter(goal__plan__code="mob-2025").delete()

    report = opendata.import_document(with_unassessed_plan(seed()))

    [conflict] = report.conflicts
    assert str(conflict) == (
        "conflict plans[1].goals[0].assignments[0] (assignment 1 of goal 1 of plan "
        "'mob-2025'): deleted in the portal since the last import; left out with everything "
        "under it"
    )
    assert not Assignment.objects.filter(goal__plan__code="mob-2025").exists()

    report = opendata.import_document(with_unassessed_plan(seed()), overwrite=True)

    assert [(c.action, c.note) for c in report.changes] == [
        (CREATE, "deleted in the portal; made again (--overwrite)")
    ]
    assert Assignment.objects.filter(goal__plan__code="mob-2025").exists()


def test_what_a_published_assessment_belongs_to_cannot_be_deleted_in_the_portal():
    """Which is why an imported assessment is never "deleted in the portal"."""
    imported()

    for model in (Plan, Goal, Assignment, ReportingPeriod):
        with pytest.raises(ProtectedError):
            model.objects.all().delete()
    assert summary(opendata.import_document(seed())) == (0, 0, 19, 0)


def test_a_plan_deleted_in_the_portal_stays_deleted_with_everything_under_it():
    opendata.import_document(with_unassessed_plan(seed()))
    Plan.objects.filter(code="mob-2025").delete()

    report = opendata.import_document(with_unassessed_plan(seed()))

    assert [str(c) for c in report.conflicts] == [
        "conflict plans[1] (plan 'mob-2025'): deleted in the portal since the last import; "
        "left out with everything under it"
    ]
    assert list(Plan.objects.values_list("code", flat=True)) == ["mob-2022"]
    assert Goal.objects.get().plan.code == "mob-2022"


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
    document = seed()
    document["periods"].append({"code": "2022-12", "name": "December 2022", "date": "2022-12-31"})
    opendata.import_document(copy.deepcopy(document))
    ReportingPeriod.objects.filter(code="2022-12").delete()  # nothing assessed in it yet
    seed_goal(document)["assessments"].append(
        {"period": "2022-12", "fulfilment": "largely", "text": "Bedömning i december."}
    )
    for assignment in seed_goal(document)["assignments"]:
        assignment["assessments"].append(
            {"period": "2022-12", "status": "on_track", "text": "Pågår i december."}
        )

    report = opendata.import_document(document)

    assert len(report.conflicts) == 7  # the period, one goal and five assignment assessments
    assert report.conflicts[1].note == "its period '2022-12' was deleted in the portal; left out"
    assert not Assessment.objects.filter(text="Pågår i december.").exists()
    assert not ReportingPeriod.objects.filter(code="2022-12").exists()


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
        "of goal 5 of plan 'mob-2022' for period '2022-08'): status; published as a new "
        "version that corrects the portal's"
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
