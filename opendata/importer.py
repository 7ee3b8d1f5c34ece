"""Import: write a valid uppfoljning/1 document into the portal, all of it or nothing.

Records. Each thing of the format that the portal stores is a *record*, found by its
natural key: the organisation (there is one), a body or a period by its code, a plan by its
code, a goal by plan and number, an assignment by plan, goal and number, an assessment by
its goal or assignment and its period. A goal's focus areas, links and actions, and an
assignment's list of bodies, are fields of their record, compared and replaced whole.

Assessments are reviewed records (assignments.models.Reviewed): what the portal has
published is permanent. The format's assessment of an assignment in a period is what the
export shows: the municipality's own published version, or else the published parts of
the bodies together (assignments.models.combined_assessment); of a goal in a period, its
published version. Versions in review (draft, submitted, approved) are not part of the
format: the import neither reads nor changes them. An import never changes or deletes a
published version: where the file differs, it publishes a new version that corrects the
municipality's own (which stays, superseded and readable), or, where only the bodies'
parts are published, the municipality's own beside them.

An import never silently undoes work done in the portal. It remembers what it wrote
(opendata.models.ImportedRecord: a digest of every field's value) and decides, record by
record of the file:

- *create*: no such row, and no import made one before. Plans, goals and assessments from
  a file are created published (and new periods in the state published): the file is
  published data.
- *unchanged*: the portal already holds the file's values. Nothing is written (the first
  import into a database that has no memory yet adopts such a record: from then on it
  counts as imported).
- *update*: the portal still holds what the last import wrote, and the file says
  something else: the fields that differ are written in place; an assessment gets a new
  published version (see above).
- *conflict*, left as it is: the record differs from what the last import wrote (staff
  edited or unpublished it, or corrected an assessment with a newer version), or it was
  made in the portal, never imported, and differs from the file, or the portal deleted a
  row that an import had made (it stays deleted, with everything under it). The report
  names the record and its fields; with ``overwrite=True`` the file's values are written
  instead. An assessment whose correction is in review in the portal is left as it is
  even then: the correction under way would otherwise correct a superseded version.

What the file does not mention is left alone; nothing is ever deleted but a goal's focus
areas, links and actions and an assignment's list of bodies, which the file replaces whole.
Every row is written with save(), so that django-simple-history records it, with the
change reason IMPORT_HISTORY_REASON. ``dry_run=True`` runs the same import in a
transaction that is rolled back: the report says what would happen; nothing is written.
"""

from __future__ import annotations

import datetime
import hashlib
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import DataError, IntegrityError, models, transaction
from django.db.models import Prefetch
from django.utils import timezone

from assignments.models import (
    Assessment,
    Assignment,
    AssignmentResponsibility,
    ResponsibleBody,
    Reviewed,
    ReviewState,
    combined_assessment,
)
from goals.models import (
    FocusArea,
    Goal,
    GoalAction,
    GoalAssessment,
    GoalLink,
    Organisation,
    PeriodState,
    Plan,
    ReportingPeriod,
)
from opendata.document import OpenDataError
from opendata.models import ImportedRecord
from opendata.validation import load_path, validate

CREATE, UPDATE, CONFLICT = "create", "update", "conflict"

# The goal's ordered sections: field of the record -> (model, related name).
GOAL_SECTIONS: dict[str, tuple[type[models.Model], str]] = {
    "focus": (FocusArea, "focus_areas"),
    "links": (GoalLink, "links"),
    "actions": (GoalAction, "actions"),
}
# Fields of a record that are lists of rows, not columns of its own row.
LIST_FIELDS = {*GOAL_SECTIONS, "bodies"}
# Why an imported assessment supersedes the published one it differs from (shown on the
# public page), and why the history has a new entry for a row that an import wrote.
IMPORT_CORRECTION_REASON = "Rättad genom import av öppna data."
IMPORT_HISTORY_REASON = "Import av öppna data"


@dataclass(frozen=True)
class Change:
    """A record of the file that the import creates, updates or leaves (a conflict)."""

    action: str  # CREATE, UPDATE or CONFLICT
    path: str  # where the record is in the file: "plans[0].goals[0]"
    record: str  # which record of the portal: "goal 5 of plan 'mob-2022'"
    fields: tuple[str, ...] = ()  # the fields written, or that the file would change
    note: str = ""  # why a conflict was left, or what an update overwrote

    def __str__(self) -> str:
        text = f"{self.action:<8} {self.path} ({self.record})"
        details = [", ".join(self.fields)] if self.fields and self.action == UPDATE else []
        details += [self.note] if self.note else []
        return text + (": " + "; ".join(details) if details else "")


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do), counted per record."""

    changes: list[Change] = field(default_factory=list)  # in the file's order
    unchanged: int = 0
    dry_run: bool = False

    @property
    def created(self) -> int:
        return sum(change.action == CREATE for change in self.changes)

    @property
    def updated(self) -> int:
        return sum(change.action == UPDATE for change in self.changes)

    @property
    def conflicts(self) -> list[Change]:
        return [change for change in self.changes if change.action == CONFLICT]

    @property
    def wrote(self) -> bool:
        """Whether the portal's content changed (the page cache must then be renewed)."""
        return not self.dry_run and bool(self.created or self.updated)

    def __str__(self) -> str:
        conflicts = len(self.conflicts)
        counts = (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{conflicts} conflict{'' if conflicts == 1 else 's'}"
            + (" left as in the portal" if conflicts else "")
        )
        if self.dry_run:
            return f"Dry run, nothing was written. The import would give: {counts}."
        return f"Import finished: {counts}."


def import_document(data: Any, *, overwrite: bool = False, dry_run: bool = False) -> ImportReport:
    """Validate a document and write it, in one transaction: all of it or nothing.

    Raises OpenDataError with every problem of an invalid document, and when the database
    refuses a write; nothing is written then. `overwrite` writes the file's values over
    conflicts; `dry_run` rolls everything back (see the module's docstring).
    """
    try:
        with transaction.atomic():
            errors = validate(data)
            if errors:
                raise OpenDataError(errors)
            report = _Importer(overwrite=overwrite).run(data)
            if dry_run:
                report.dry_run = True
                transaction.set_rollback(True)
            return report
    except (IntegrityError, DataError) as exc:
        raise OpenDataError(
            [f"$: the database refused the import, nothing was written: {exc}"]
        ) from exc


def import_path(path: str | Path, **options: bool) -> ImportReport:
    """Read a file and import it (see load_path and import_document)."""
    return import_document(load_path(path), **options)


# --------------------------------------------------------------------------- memory


def _digest(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _digests(values: dict) -> dict[str, str]:
    return {name: _digest(value) for name, value in values.items()}


def _record_key(model: type[models.Model], key: Iterable[str | int]) -> tuple[str, str]:
    return model._meta.label_lower, json.dumps(list(key), ensure_ascii=False, separators=(",", ":"))


def _join(names: Iterable[str]) -> str:
    return ", ".join(names)


# --------------------------------------------------------------------------- the import


class _Importer:
    """Writes a validated document record by record; collects an ImportReport."""

    def __init__(self, *, overwrite: bool) -> None:
        self.overwrite = overwrite
        self.report = ImportReport()
        self.memory = {
            (record.model, record.key): record.digests for record in ImportedRecord.objects.all()
        }
        self.to_remember: dict[tuple[str, str], dict[str, str]] = {}
        # By code; None for a row that the portal deleted and this import leaves out.
        self.bodies: dict[str, ResponsibleBody | None] = {}
        self.periods: dict[str, ReportingPeriod | None] = {}

    def run(self, data: dict) -> ImportReport:
        self._organisation(data["organisation"])
        self._bodies(data["bodies"])
        self._periods(data["periods"])
        self._plans(data["plans"])
        self._remember()
        return self.report

    # -- deciding

    def _decide(
        self,
        model: type[models.Model],
        key: tuple,
        path: str,
        record: str,
        current: dict | None,
        wanted: dict,
        *,
        parent: bool = False,
        written_as: str = "",
    ) -> list[str] | None:
        """The fields to write for one record (all of them for a new row), or None to leave it.

        `current` is what the portal holds (None: no row), `wanted` what the file says;
        the memory of the last import tells who changed what (see the module's docstring).
        `written_as` says how an update is written when not in place (a reviewed record's
        new version). Adds the decision to the report.
        """
        memory_key = _record_key(model, key)
        last = self.memory.get(memory_key)
        if current is None:
            if last is not None and not self.overwrite:
                under = " with everything under it" if parent else ""
                note = f"deleted in the portal since the last import; left out{under}"
                self._note(CONFLICT, path, record, note=note)
                return None
            note = "" if last is None else "deleted in the portal; made again (--overwrite)"
            self._note(CREATE, path, record, note=note)
            self._remember_values(memory_key, wanted, last)
            return list(wanted)
        differing = [name for name, value in wanted.items() if current.get(name) != value]
        if not differing:
            self.report.unchanged += 1
            self._remember_values(memory_key, wanted, last)
            return None
        if last is None:
            conflict = "made in the portal, not by an import"
        else:
            edited = [
                name for name in wanted if name in last and last[name] != _digest(current.get(name))
            ]
            how = "corrected" if issubclass(model, Reviewed) else "changed"
            conflict = edited and f"{how} in the portal since the last import ({_join(edited)})"
        if conflict and not self.overwrite:
            note = f"{conflict}; the file would change {_join(differing)}; left as it is"
            self._note(CONFLICT, path, record, tuple(differing), note)
            return None
        notes = [f"{conflict}; overwritten (--overwrite)" if conflict else "", written_as]
        self._note(UPDATE, path, record, tuple(differing), "; ".join(filter(None, notes)))
        self._remember_values(memory_key, wanted, last)
        return differing

    def _note(
        self, action: str, path: str, record: str, fields: tuple[str, ...] = (), note: str = ""
    ) -> None:
        self.report.changes.append(Change(action, path, record, fields, note))

    def _remember_values(self, memory_key: tuple[str, str], values: dict, last: dict | None):
        digests = _digests(values)
        if digests != last:
            self.to_remember[memory_key] = digests

    def _remember(self) -> None:
        """Store what this import wrote, or found equal to the file, for the next one."""
        if not self.to_remember:
            return
        now = timezone.now()
        ImportedRecord.objects.bulk_create(
            [
                ImportedRecord(model=model, key=key, digests=digests, imported_at=now)
                for (model, key), digests in self.to_remember.items()
            ],
            update_conflicts=True,
            unique_fields=["model", "key"],
            update_fields=["digests", "imported_at"],
        )

    # -- writing

    @staticmethod
    def _save(model: type[models.Model], row: Any, values: dict, fields: list[str], **keys) -> Any:
        """Create the row with `values`, or save those of `fields` on the existing one.

        Only the row's own columns: list fields are written by the caller.
        """
        columns = {name: values[name] for name in fields if name not in LIST_FIELDS}
        if "date" in columns:
            columns["date"] = datetime.date.fromisoformat(columns["date"])
        if row is None:
            row = model(**keys, **columns)
            _save_with_history(row)  # a plan or body gets its slug here, by the portal's rule
        elif columns:
            for name, value in columns.items():
                setattr(row, name, value)
            _save_with_history(row, update_fields=list(columns))
        return row

    @staticmethod
    def _publish(model: type[Reviewed], row: Reviewed | None, values: dict, **keys) -> Reviewed:
        """Publish an assessment with `values`: a new one, or, where the municipality's own
        is published with other values (`row`), a correction of it (a published assessment
        is never changed in place: the earlier version stays, superseded)."""
        now = timezone.now()
        version = model(**keys, **values, state=ReviewState.PUBLISHED, published_at=now)
        if row is not None:
            row.state = ReviewState.SUPERSEDED
            _save_with_history(row, update_fields=["state"])
            version.corrects = row
            version.correction_reason = IMPORT_CORRECTION_REASON
            for name in ("decision_date", "decision_reference", "decision_paragraph"):
                setattr(version, name, getattr(row, name))
        _save_with_history(version)
        return version

    def _reviewed(
        self,
        model: type[Reviewed],
        key: tuple,
        path: str,
        record: str,
        held: _Held | None,
        wanted: dict,
        **subject,
    ) -> None:
        """Decide and write one assessment record (see the module's docstring): a new
        published version when the file differs, never a change in place; nothing while a
        correction of the published version is in review in the portal."""
        if held is None:
            own, current, written_as = None, None, ""
        else:
            own, current = held.own, held.values
            written_as = (
                "published as a new version that corrects the portal's"
                if own is not None
                else "published as the municipality's own, beside the bodies' parts"
            )
            differing = tuple(name for name in wanted if current.get(name) != wanted[name])
            if held.correcting is not None and differing:
                note = (
                    f"a correction of it is in review in the portal ({held.correcting.state}); "
                    f"the file would change {_join(differing)}; left as it is, also with "
                    "--overwrite, until the correction is published or withdrawn"
                )
                self._note(CONFLICT, path, record, differing, note)
                return
        fields = self._decide(model, key, path, record, current, wanted, written_as=written_as)
        if fields is not None:
            self._publish(model, own, wanted, **subject)

    # -- the document, top-down

    def _organisation(self, item: dict) -> None:
        row = Organisation.current()
        wanted = {"name": item["name"], "website": item.get("website", "")}
        current = None if row is None else {"name": row.name, "website": row.website}
        fields = self._decide(Organisation, (), "organisation", "the organisation", current, wanted)
        if fields is not None:
            self._save(Organisation, row, wanted, fields)

    def _bodies(self, items: list[dict]) -> None:
        existing = ResponsibleBody.objects.in_bulk([b["code"] for b in items], field_name="code")
        for position, item in enumerate(items):
            code = item["code"]
            row = existing.get(code)
            wanted = {"name": item["name"], "kind": item["kind"], "position": position}
            current = row and {"name": row.name, "kind": row.kind, "position": row.position}
            fields = self._decide(
                ResponsibleBody, (code,), f"bodies[{position}]", f"body {code!r}", current, wanted
            )
            if fields is not None:
                row = self._save(ResponsibleBody, row, wanted, fields, code=code)
            self.bodies[code] = row

    def _periods(self, items: list[dict]) -> None:
        existing = ReportingPeriod.objects.in_bulk([p["code"] for p in items], field_name="code")
        for index, item in enumerate(items):
            code = item["code"]
            row = existing.get(code)
            wanted = {"name": item["name"], "date": item["date"]}
            current = row and {"name": row.name, "date": row.date.isoformat()}
            fields = self._decide(
                ReportingPeriod, (code,), f"periods[{index}]", f"period {code!r}", current, wanted
            )
            if fields is not None:
                state = {} if row else {"state": PeriodState.PUBLISHED}
                row = self._save(ReportingPeriod, row, wanted, fields, code=code, **state)
            self.periods[code] = row

    def _plans(self, items: list[dict]) -> None:
        existing = Plan.objects.in_bulk([p["code"] for p in items], field_name="code")
        for index, item in enumerate(items):
            code, path = item["code"], f"plans[{index}]"
            row = existing.get(code)
            wanted = {
                "name": item["name"],
                "start_year": item["start_year"],
                "end_year": item["end_year"],
                "is_published": True,
            }
            current = row and {name: getattr(row, name) for name in wanted}
            fields = self._decide(
                Plan, (code,), path, f"plan {code!r}", current, wanted, parent=True
            )
            if fields is not None:
                plan = self._save(Plan, row, wanted, fields, code=code)
            elif row is None:
                continue  # deleted in the portal: left out with its goals
            else:
                plan = row
            self._goals(plan, item["goals"], path, is_new=row is None)

    def _goals(self, plan: Plan, items: list[dict], plan_path: str, *, is_new: bool) -> None:
        existing = (
            {}
            if is_new
            else {
                goal.number: goal
                for goal in plan.goals.filter(
                    number__in=[g["number"] for g in items]
                ).prefetch_related(
                    "focus_areas",
                    "links",
                    "actions",
                    Prefetch("assessments", queryset=_unsuperseded(GoalAssessment)),
                    Prefetch(
                        "assignments__assessments",
                        queryset=_unsuperseded(Assessment).select_related("body"),
                    ),
                    Prefetch(
                        "assignments__responsibilities",
                        queryset=AssignmentResponsibility.objects.select_related("body"),
                    ),
                )
            }
        )
        for index, item in enumerate(items):
            number, path = item["number"], f"{plan_path}.goals[{index}]"
            row = existing.get(number)
            wanted = {
                "title": item["title"],
                "tagline": item.get("tagline", ""),
                "description": item.get("description", ""),
                "is_published": True,
                "focus": [
                    {k: f[k] for k in ("title", "start_year", "end_year", "text")}
                    for f in item.get("focus", [])
                ],
                "links": [{"title": x["title"], "url": x["url"]} for x in item.get("links", [])],
                "actions": [
                    {"title": x["title"], "text": x.get("text", ""), "url": x.get("url", "")}
                    for x in item.get("actions", [])
                ],
            }
            current = row and _current_goal(row)
            record = f"goal {number} of plan {plan.code!r}"
            key = (plan.code, number)
            fields = self._decide(Goal, key, path, record, current, wanted, parent=True)
            if fields is not None:
                goal = self._save(Goal, row, wanted, fields, plan=plan, number=number)
                for name in fields:
                    if name in GOAL_SECTIONS:
                        self._replace_section(goal, name, wanted[name], existed=row is not None)
            elif row is None:
                continue  # deleted in the portal: left out with its assessments and assignments
            else:
                goal = row
            context = (plan.code, number)
            self._goal_assessments(goal, item, path, context, is_new=row is None)
            self._assignments(goal, item, path, context, is_new=row is None)

    @staticmethod
    def _replace_section(goal: Goal, name: str, items: list[dict], *, existed: bool) -> None:
        model, _ = GOAL_SECTIONS[name]
        if existed:
            model.objects.filter(goal=goal).delete()
        model.objects.bulk_create(
            model(goal=goal, position=position, **values) for position, values in enumerate(items)
        )

    def _goal_assessments(
        self, goal: Goal, item: dict, goal_path: str, context: tuple, *, is_new: bool
    ) -> None:
        held = {} if is_new else _held_by_period(goal.assessments.all(), _goal_assessment_values)
        for index, entry in enumerate(item.get("assessments", [])):
            code, path = entry["period"], f"{goal_path}.assessments[{index}]"
            record = f"assessment of goal {goal.number} of plan {context[0]!r} for period {code!r}"
            period = self._period_or_conflict(code, path, record)
            if period is None:
                continue
            wanted = {
                "fulfilment": entry["fulfilment"],
                "text": entry["text"],
                "assignments_summary": entry.get("assignments_summary", ""),
            }
            self._reviewed(
                GoalAssessment,
                (*context, code),
                path,
                record,
                held.get(period.pk),
                wanted,
                goal=goal,
                period=period,
            )

    def _assignments(
        self, goal: Goal, item: dict, goal_path: str, context: tuple, *, is_new: bool
    ) -> None:
        existing = {} if is_new else {a.number: a for a in goal.assignments.all()}
        for index, entry in enumerate(item["assignments"]):
            number, path = entry["number"], f"{goal_path}.assignments[{index}]"
            record = f"assignment {number} of goal {goal.number} of plan {context[0]!r}"
            row = existing.get(number)
            wanted = {
                "title": entry["title"],
                "all_committees": entry.get("all_committees", False),
                "all_companies": entry.get("all_companies", False),
                "added_year": entry.get("added_year"),
                "expected_completion_year": entry.get("expected_completion_year"),
                "bodies": list(entry["bodies"]),
            }
            current = row and {
                **{name: getattr(row, name) for name in wanted if name != "bodies"},
                "bodies": [r.body.code for r in row.responsibilities.all()],
            }
            deleted = [code for code in entry["bodies"] if self.bodies[code] is None]
            if deleted:
                note = f"names body {deleted[0]!r}, which was deleted in the portal; left as it is"
                self._note(CONFLICT, path, record, note=note)
                fields = None
            else:
                key = (*context, number)
                fields = self._decide(Assignment, key, path, record, current, wanted, parent=True)
            if fields is not None:
                assignment = self._save(Assignment, row, wanted, fields, goal=goal, number=number)
                if "bodies" in fields:
                    self._replace_bodies(assignment, wanted["bodies"], existed=row is not None)
            elif row is None:
                continue  # deleted in the portal: left out with its assessments
            else:
                assignment = row
            if fields is not None and "bodies" in fields:
                named = [self.bodies[code].pk for code in wanted["bodies"]]
            else:
                named = [r.body_id for r in row.responsibilities.all()] if row else []
            context_ = (*context, number)
            self._assessments(assignment, entry, path, context_, named, is_new=row is None)

    def _replace_bodies(self, assignment: Assignment, codes: list[str], *, existed: bool) -> None:
        if existed:
            AssignmentResponsibility.objects.filter(assignment=assignment).delete()
        AssignmentResponsibility.objects.bulk_create(
            AssignmentResponsibility(assignment=assignment, body=self.bodies[code], position=i)
            for i, code in enumerate(codes)
        )

    def _assessments(
        self,
        assignment: Assignment,
        item: dict,
        assignment_path: str,
        context: tuple,
        named_body_ids: list[int],
        *,
        is_new: bool,
    ) -> None:
        """The assignment's assessments; `named_body_ids` are the bodies named on it, in
        order, as they are after this import (the order of the parts combined)."""
        held = (
            {}
            if is_new
            else _held_by_period(
                assignment.assessments.all(),
                lambda parts: _assessment_values(parts, named_body_ids),
            )
        )
        for index, entry in enumerate(item.get("assessments", [])):
            code, path = entry["period"], f"{assignment_path}.assessments[{index}]"
            record = (
                f"assessment of assignment {context[2]} of goal {context[1]} of plan "
                f"{context[0]!r} for period {code!r}"
            )
            period = self._period_or_conflict(code, path, record)
            if period is None:
                continue
            wanted = {"status": entry["status"], "text": entry["text"]}
            self._reviewed(
                Assessment,
                (*context, code),
                path,
                record,
                held.get(period.pk),
                wanted,
                assignment=assignment,
                period=period,
            )

    def _period_or_conflict(self, code: str, path: str, record: str) -> ReportingPeriod | None:
        period = self.periods[code]
        if period is None:
            note = f"its period {code!r} was deleted in the portal; left out"
            self._note(CONFLICT, path, record, note=note)
        return period


@dataclass(frozen=True)
class _Held:
    """What the portal holds of one assessment record of the format (an assignment's or a
    goal's assessment of one period), of which something is published."""

    values: dict  # what the format shows: the file is compared with these
    own: Reviewed | None  # the municipality's own published version, which a new one corrects
    correcting: Reviewed | None  # a correction of `own` in review in the portal


def _unsuperseded(model: type[Reviewed]) -> models.QuerySet:
    """The versions the import looks at: the published ones and those in review."""
    return model._default_manager.exclude(state=ReviewState.SUPERSEDED)


def _held_by_period(
    versions: Iterable[Reviewed], values_of: Callable[[list[Reviewed]], dict]
) -> dict[int, _Held]:
    """What the portal holds of each period of which a version is published, by period id;
    `values_of` gives the format's values of a period's published versions."""
    published: dict[int, list[Reviewed]] = {}
    in_review: dict[int, Reviewed] = {}
    for version in versions:
        if version.state == ReviewState.PUBLISHED:
            published.setdefault(version.period_id, []).append(version)
        elif version.corrects_id is not None:
            in_review[version.corrects_id] = version
    held = {}
    for period_id, found in published.items():
        own = next((v for v in found if getattr(v, "body_id", None) is None), None)
        correcting = in_review.get(own.pk) if own is not None else None
        held[period_id] = _Held(values_of(found), own, correcting)
    return held


def _assessment_values(parts: list[Assessment], named_body_ids: list[int]) -> dict:
    """The format's values of an assignment's published parts in one period."""
    status, text = combined_assessment(parts, named_body_ids)
    return {"status": status, "text": text}


def _goal_assessment_values(published: list[GoalAssessment]) -> dict:
    """The format's values of a goal's published assessment of one period."""
    [assessment] = published
    return {
        "fulfilment": assessment.fulfilment,
        "text": assessment.text,
        "assignments_summary": assessment.assignments_summary,
    }


def _save_with_history(row: models.Model, **options) -> None:
    """Save `row` as every import write is saved: one by one, so that django-simple-history
    records it (a bulk write would not), and with the import as the change's reason."""
    row._change_reason = IMPORT_HISTORY_REASON
    row.save(**options)


def _current_goal(goal: Goal) -> dict:
    """A goal's values as the format has them, from what _Importer._goals prefetched."""
    return {
        "title": goal.title,
        "tagline": goal.tagline,
        "description": goal.description,
        "is_published": goal.is_published,
        "focus": [
            {"title": f.title, "start_year": f.start_year, "end_year": f.end_year, "text": f.text}
            for f in goal.focus_areas.all()
        ],
        "links": [{"title": x.title, "url": x.url} for x in goal.links.all()],
        "actions": [{"title": x.title, "text": x.text, "url": x.url} for x in goal.actions.all()],
    }
