"""The reporting round in the admin: assessments, goal assessments and reporting periods.

Every write goes through reporting/services.py, as the spreadsheet upload and the commands
do: a new assessment starts from the previous period's (assessment_prefill/_create), a save
names the version its form was opened at (assessment_save; a hidden field), and the steps of
the review are buttons on the change page and bulk actions (submit, return with a comment,
approve, start a correction, publish a correction; open, close and publish a period). A
refusal (ReportingError) is shown in Swedish and changes nothing; a refused save shows the
form again with what the user wrote, and for a save based on an older version what the
other person saved.

Who sees which assessment is Assessment.objects.editable_by(user); whether its content may
be changed now is services.may_write(user, record): otherwise the change page is read-only
and says why. What has been published is never changed or deleted here.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assignments.admin import HistoryAdmin, review_state_label
from assignments.models import Assessment, Assignment, ResponsibleBody, ReviewState
from assignments.roles import may_review
from goals.models import Goal, GoalAssessment, PeriodState, ReportingPeriod
from reporting import services
from reporting.services import ReportingError, StaleVersionError
from uppfoljning import pagecache

# The request attribute that carries a refused save into the form shown again.
_REFUSAL = "_reporting_refusal"


class Refused(Exception):
    """A save the services refused; ReviewedAdmin.changeform_view() shows the form again."""

    def __init__(self, error: ReportingError):
        self.error = error
        super().__init__(str(error))


def _pk(value) -> int | None:
    """A primary key from a query parameter; None when it is not one."""
    return int(value) if isinstance(value, str) and value.isdigit() and len(value) < 12 else None


def _change_url(record) -> str:
    opts = record._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])


def _all_or_none(records, step) -> None:
    """Apply `step` to every record in one transaction; a refusal of one undoes all and
    names the record."""
    with transaction.atomic():
        for record in records:
            try:
                step(record)
            except ReportingError as error:
                raise ReportingError(f"{record}: {error}") from error


# --------------------------------------------------------------------------- forms


class ReviewedForm(forms.ModelForm):
    """The form of an assessment or a goal assessment: its content, and for one that
    exists the version it was opened at (optimistic locking). A save the services refused
    (`refusal`, set per request) makes the form invalid with the refusal's message; after a
    save based on an older version, the form carries the stored version so that the user
    can compare, and then save deliberately."""

    expected_version = forms.IntegerField(
        label=_("version"), widget=forms.HiddenInput, required=False, min_value=1
    )
    refusal: ReportingError | None = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None or "expected_version" not in self.fields:
            return
        self.fields["expected_version"].required = True
        self.initial["expected_version"] = self.instance.version
        if isinstance(self.refusal, StaleVersionError) and self.is_bound:
            self.data = self.data.copy()
            self.data[self.add_prefix("expected_version")] = self.refusal.stored.version

    def clean(self):
        cleaned = super().clean()
        if self.refusal is not None:
            raise ValidationError(str(self.refusal), code="refused")
        return cleaned


class AssessmentForm(ReviewedForm):
    def clean(self):
        cleaned = super().clean()
        assignment, period = cleaned.get("assignment"), cleaned.get("period")
        if self.instance.pk is None and assignment and period and not self.errors:
            started = Assessment.objects.in_review().filter(
                assignment=assignment, period=period, body=cleaned.get("body")
            )
            if started.exists():
                raise ValidationError(
                    _(
                        "This assignment already has an assessment being written for the "
                        "period by the same body: open it from the list of assessments."
                    ),
                    code="started",
                )
        return cleaned


class GoalAssessmentForm(ReviewedForm):
    pass


# --------------------------------------------------------------------------- reviewed


@admin.action(
    permissions=["change"], description=_("Submit selected %(verbose_name_plural)s for review")
)
def submit_selected(modeladmin, request, queryset):
    modeladmin.bulk(
        request,
        queryset,
        lambda record: services.assessment_submit(assessment=record, user=request.user),
        _("%(count)d submitted for review."),
    )


@admin.action(permissions=["review"], description=_("Approve selected %(verbose_name_plural)s"))
def approve_selected(modeladmin, request, queryset):
    modeladmin.bulk(
        request,
        queryset,
        lambda record: services.assessment_approve(assessments=[record], user=request.user),
        _("%(count)d approved."),
    )


@admin.action(
    permissions=["review"],
    description=_("Publish selected approved %(verbose_name_plural)s of published periods"),
)
def publish_selected(modeladmin, request, queryset):
    modeladmin.bulk(
        request,
        queryset,
        lambda record: services.correction_publish(assessment=record, user=request.user),
        _("%(count)d published."),
        publishes=True,
    )


class ReviewedAdmin(HistoryAdmin):
    """What the admins of assessments and goal assessments share: the reporting round.

    A subclass names the record's subject fields (what it is an assessment of, and when),
    its content fields (what the services save), and how a new one is prefilled and
    created."""

    change_form_template = "admin/reporting/reviewed_change_form.html"
    subject_fields: tuple[str, ...] = ()
    content_fields: tuple[str, ...] = ()
    review_fields = (
        "state_label",
        "review_comment",
        "corrects",
        "correction_reason",
        "submitted_at",
        "published_at",
    )
    actions = [submit_selected, approve_selected, publish_selected]
    may_submit = True  # a goal assessment is approved from draft: it is not submitted

    # ----------------------------------------------------------------- permissions

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        return obj is None or services.may_write(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        if not super().has_delete_permission(request, obj):
            return False
        return obj is None or obj.state in ReviewState.in_review()

    def has_review_permission(self, request):
        return may_review(request.user)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        if any(record.is_permanent for record in objs):
            perms_needed = {*perms_needed, gettext("published (they are never deleted)")}
        return deleted, counts, perms_needed, protected

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        pagecache.leave_pages_cached(request)  # only what is in review is ever deleted

    def delete_queryset(self, request, queryset):
        super().delete_queryset(request, queryset)
        pagecache.leave_pages_cached(request)

    # ----------------------------------------------------------------- the form

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            return [(None, {"fields": [*self.subject_fields, *self.content_fields]})]
        # The form's hidden expected_version is not among the fields: the change page
        # shows it on its own (reviewed_change_form.html), without a label.
        main = [*self.subject_fields, *self.content_fields]
        # The state, and of the rest of the review what this record has.
        review = ["state_label"] + [
            name
            for name in self.review_fields[1:]
            if getattr(obj, obj._meta.get_field(name).attname) not in (None, "")
        ]
        return [(None, {"fields": main}), (_("Review"), {"fields": review})]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ()
        return (*self.subject_fields, *self.review_fields)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        return type(form.__name__, (form,), {"refusal": getattr(request, _REFUSAL, None)})

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "period":
            states = [PeriodState.OPEN]
            if may_review(request.user):
                states.append(PeriodState.CLOSED)
            kwargs["queryset"] = ReportingPeriod.objects.filter(state__in=states)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, obj):
        return review_state_label(obj)

    # ----------------------------------------------------------------- add and change

    def add_view(self, request, form_url="", extra_context=None):
        if request.method == "GET":
            try:
                start = self.prefill(request)
            except ReportingError as error:
                self.message_user(request, str(error), messages.ERROR)
                start = None
            if start is not None and start.pk is not None:
                if self.get_queryset(request).filter(pk=start.pk).exists():
                    self.message_user(
                        request,
                        gettext("This one has been started already: here it is."),
                        messages.INFO,
                    )
                    return HttpResponseRedirect(_change_url(start))
                start = None
            request.reporting_start = start
        return super().add_view(request, form_url, extra_context)

    def get_changeform_initial_data(self, request):
        start = getattr(request, "reporting_start", None)
        if start is None:
            return {}
        return {
            name: getattr(start, start._meta.get_field(name).attname)
            for name in (*self.subject_fields, *self.content_fields)
        }

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        changing = (
            request.method == "POST" and object_id is not None and "_saveasnew" not in request.POST
        )
        if changing:
            obj = self.get_object(request, unquote(object_id))
            if (
                obj is not None
                and self.has_view_permission(request, obj)
                and not self.has_change_permission(request, obj)
            ):
                # Submitted, closed or published since the form was opened (or a forged
                # post): refused, with the reason and what the user wrote.
                reason = self.readonly_note(request, obj)
                return self.refused_page(request, object_id, form_url, extra_context, reason)
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except Refused as refused:
            # Everything of the refused save was rolled back: show the form again, with
            # what the user wrote kept and the reason; after another person's save also
            # what they saved.
            setattr(request, _REFUSAL, refused.error)
            context = {**(extra_context or {})}
            context["stale_changes"] = getattr(refused.error, "changes", None)
            if changing:
                obj = self.get_object(request, unquote(object_id))
                if obj is not None and not self.has_change_permission(request, obj):
                    return self.refused_page(
                        request, object_id, form_url, context, str(refused.error)
                    )
            return super().changeform_view(request, object_id, form_url, context)

    def refused_page(self, request, object_id, form_url, extra_context, reason):
        """The record's read-only page, with status 403, saying why the save was refused
        and showing what the user wrote: nothing is saved, and nothing written is lost."""
        context = {**(extra_context or {})}
        context["unsaved"] = [
            (self.model._meta.get_field(name).verbose_name, request.POST[name])
            for name in self.content_fields
            if request.POST.get(name, "").strip()
        ]
        self.message_user(
            request,
            gettext("Your changes have not been saved. %(reason)s") % {"reason": reason},
            messages.ERROR,
        )
        request.method = "GET"
        response = super().changeform_view(request, object_id, form_url, context)
        response.status_code = 403
        return response

    def save_model(self, request, obj, form, change):
        user = request.user
        try:
            if change:
                saved = services.assessment_save(
                    assessment=obj,
                    user=user,
                    expected_version=form.cleaned_data["expected_version"],
                    **{name: form.cleaned_data[name] for name in self.content_fields},
                )
            else:
                saved = self.create(request, obj)
            if "_submit" in request.POST:
                saved = services.assessment_submit(assessment=saved, user=user)
            if "_approve" in request.POST:
                saved = services.assessment_approve(assessments=[saved], user=user)[0]
        except ReportingError as error:
            raise Refused(error) from error
        except ValidationError as error:  # the services' full_clean(), after the form's
            raise Refused(ReportingError(" ".join(error.messages))) from error
        obj.pk = saved.pk
        obj.refresh_from_db()
        pagecache.leave_pages_cached(request)  # nothing published is touched
        if "_submit" in request.POST:
            self.message_user(request, gettext("Submitted for review."), messages.SUCCESS)
        if "_approve" in request.POST:
            self.message_user(request, gettext("Approved."), messages.SUCCESS)

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        context["reporting"] = self.workflow(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def workflow(self, request, obj) -> dict:
        """What the change page offers and says: the steps the user may take now, why the
        content is read-only, the coordinator's comment on a returned draft."""
        user = request.user
        reviewer = may_review(user)
        if obj is None:
            return {"can_submit": self.may_submit, "can_approve": reviewer and not self.may_submit}
        writable = self.has_change_permission(request, obj)
        state = obj.state
        correction = (
            type(obj)._default_manager.in_review().filter(corrects=obj).first()
            if state == ReviewState.PUBLISHED
            else None
        )
        steps = {
            "can_submit": writable and self.may_submit and state == ReviewState.DRAFT,
            "can_approve": writable and reviewer and self.approvable(obj),
            "can_return": reviewer and state in (ReviewState.SUBMITTED, ReviewState.APPROVED),
            "can_correct": state == ReviewState.PUBLISHED
            and correction is None
            and self.may_correct(request),
            "can_publish": reviewer
            and state == ReviewState.APPROVED
            and obj.period.state == PeriodState.PUBLISHED,
        }
        return {
            **steps,
            "writable": writable,
            "steps": steps["can_return"] or steps["can_correct"] or steps["can_publish"],
            "correction": correction,
            "step_url": reverse(
                f"admin:{obj._meta.app_label}_{obj._meta.model_name}_step", args=[obj.pk]
            ),
            "note": None if writable else self.readonly_note(request, obj),
            "returned_comment": obj.review_comment if obj.is_returned else "",
        }

    def approvable(self, obj) -> bool:
        return obj.state == ReviewState.SUBMITTED

    def may_correct(self, request) -> bool:
        return True  # the services say who may correct which one

    def readonly_note(self, request, obj) -> str:
        """Why the user may not change the content now, in Swedish."""
        if obj.state == ReviewState.PUBLISHED:
            return gettext("Published: corrected with a new version.")
        if obj.state == ReviewState.SUPERSEDED:
            return gettext("Superseded by a correction: kept as it was published.")
        if obj.state == ReviewState.SUBMITTED:
            return gettext("Submitted: waiting for the coordinator's review.")
        if obj.state == ReviewState.APPROVED:
            return gettext("Approved: published when the period is published.")
        if not obj.period.is_open:
            return gettext("The period %(period)s is not open for reporting.") % {
                "period": obj.period
            }
        return gettext("You may only read this.")

    # ----------------------------------------------------------------- the steps

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "<path:object_id>/steg/",
                self.admin_site.admin_view(self.step_view),
                name=f"{opts.app_label}_{opts.model_name}_step",
            ),
            *super().get_urls(),
        ]

    def step_view(self, request, object_id):
        """One step of the review of one record, from a button on its change page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        if not self.has_view_permission(request, obj):
            raise PermissionDenied
        user = request.user
        step = request.POST.get("step")
        try:
            with transaction.atomic():
                if step == "submit":
                    result = services.assessment_submit(assessment=obj, user=user)
                    done = gettext("Submitted for review.")
                elif step == "approve":
                    result = services.assessment_approve(assessments=[obj], user=user)[0]
                    done = gettext("Approved.")
                elif step == "return":
                    comment = request.POST.get("comment", "")
                    result = services.assessment_return(assessment=obj, user=user, comment=comment)
                    done = gettext("Returned to the official with your comment.")
                elif step == "correct":
                    reason = request.POST.get("reason", "")
                    result = services.assessment_correct(assessment=obj, user=user, reason=reason)
                    done = gettext(
                        "A correction has been started: change it and submit it for review."
                    )
                elif step == "publish":
                    result = services.correction_publish(assessment=obj, user=user)
                    done = gettext("Published.")
                else:
                    raise ReportingError(gettext("Unknown step."))
        except ReportingError as error:
            self.message_user(request, str(error), messages.ERROR)
            return HttpResponseRedirect(_change_url(obj))
        if step != "publish":
            pagecache.leave_pages_cached(request)
        self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(_change_url(result))

    def bulk(self, request, queryset, step, done, *, publishes=False) -> None:
        """A bulk action: `step` on every selected record, all or none."""
        records = list(queryset)
        try:
            _all_or_none(records, step)
        except ReportingError as error:
            self.message_user(
                request,
                gettext("Nothing was changed. %(reason)s") % {"reason": error},
                messages.ERROR,
            )
            return
        if not publishes:
            pagecache.leave_pages_cached(request)
        self.message_user(request, done % {"count": len(records)}, messages.SUCCESS)

    # ----------------------------------------------------------------- in subclasses

    def prefill(self, request):
        """The record a new one starts from, from the add page's query (or None)."""
        raise NotImplementedError

    def create(self, request, obj):
        raise NotImplementedError


@admin.register(Assessment)
class AssessmentAdmin(ReviewedAdmin):
    form = AssessmentForm
    subject_fields = ("assignment", "period", "body")
    content_fields = services.ASSESSMENT_FIELDS
    list_display = ["assignment_title", "body_name", "period", "status_label", "state_label"]
    list_filter = [
        "period",
        "state",
        ("body", admin.RelatedOnlyFieldListFilter),
        "status",
    ]
    search_fields = ["text", "assignment__title"]
    list_select_related = ["assignment", "period", "body"]
    autocomplete_fields = ["assignment"]
    ordering = ["-period__date", "assignment__goal__number", "assignment__number", "body__name"]

    def get_queryset(self, request):
        return super().get_queryset(request).editable_by(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if db_field.name == "assignment":
            kwargs["queryset"] = Assignment.objects.editable_by(user)
        elif db_field.name == "body":
            if may_review(user):
                kwargs["queryset"] = ResponsibleBody.objects.all()
                kwargs["empty_label"] = gettext("The municipality's own")
            else:
                kwargs["queryset"] = user.responsible_bodies.all()
                kwargs["required"] = True
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if not initial and not may_review(request.user):
            bodies = list(request.user.responsible_bodies.all()[:2])
            if len(bodies) == 1:
                initial["body"] = bodies[0].pk
        return initial

    def prefill(self, request):
        query = request.GET
        if "assignment" not in query and "period" not in query:
            return None
        assignments = Assignment.objects.editable_by(request.user)
        assignment = assignments.filter(pk=_pk(query.get("assignment"))).first()
        period = ReportingPeriod.objects.filter(pk=_pk(query.get("period"))).first()
        body = None
        if query.get("body"):
            body = ResponsibleBody.objects.filter(pk=_pk(query.get("body"))).first()
            if body is None:
                assignment = None
        if assignment is None or period is None:
            raise ReportingError(gettext("There is no such assignment or period to report on."))
        return services.assessment_prefill(
            assignment=assignment, period=period, body=body, user=request.user
        )

    def create(self, request, obj):
        return services.assessment_create(assessment=obj, user=request.user)

    def may_correct(self, request) -> bool:
        return True  # the official of the body, or the coordinator: editable_by

    @admin.display(description=_("assignment"), ordering="assignment__title")
    def assignment_title(self, obj):
        return Truncator(str(obj.assignment)).chars(80)

    @admin.display(description=_("reported by"), ordering="body__name")
    def body_name(self, obj):
        return obj.body or gettext("The municipality's own")

    @admin.display(description=_("status"), ordering="status")
    def status_label(self, obj):
        return obj.get_status_display()


@admin.register(GoalAssessment)
class GoalAssessmentAdmin(ReviewedAdmin):
    form = GoalAssessmentForm
    subject_fields = ("goal", "period")
    content_fields = services.GOAL_ASSESSMENT_FIELDS
    list_display = ["goal", "period", "fulfilment_label", "state_label", "short_text"]
    list_filter = ["period", "state", "fulfilment", "goal__plan"]
    search_fields = ["text", "goal__title"]
    list_select_related = ["goal", "period"]
    autocomplete_fields = ["goal"]
    ordering = ["-period__date", "goal__number"]
    actions = [approve_selected, publish_selected]
    may_submit = False

    def approvable(self, obj) -> bool:
        return obj.state in (ReviewState.DRAFT, ReviewState.SUBMITTED)

    def may_correct(self, request) -> bool:
        return may_review(request.user)

    def prefill(self, request):
        query = request.GET
        if "goal" not in query and "period" not in query:
            return None
        goal = Goal.objects.filter(pk=_pk(query.get("goal"))).first()
        period = ReportingPeriod.objects.filter(pk=_pk(query.get("period"))).first()
        if goal is None or period is None:
            raise ReportingError(gettext("There is no such goal or period to assess."))
        return services.goal_assessment_prefill(goal=goal, period=period, user=request.user)

    def create(self, request, obj):
        return services.goal_assessment_create(assessment=obj, user=request.user)

    @admin.display(description=_("fulfilment"), ordering="fulfilment")
    def fulfilment_label(self, obj):
        return obj.get_fulfilment_display()

    @admin.display(description=_("justification"))
    def short_text(self, obj):
        return Truncator(obj.text).chars(80)


# --------------------------------------------------------------------------- periods


@admin.action(permissions=["review"], description=_("Open selected periods for reporting"))
def open_periods(modeladmin, request, queryset):
    modeladmin.move(request, queryset, PeriodState.OPEN, _("%(count)d opened for reporting."))


@admin.action(permissions=["review"], description=_("Close selected periods for reporting"))
def close_periods(modeladmin, request, queryset):
    modeladmin.move(request, queryset, PeriodState.CLOSED, _("%(count)d closed for reporting."))


@admin.action(permissions=["review"], description=_("Publish selected periods"))
def publish_periods(modeladmin, request, queryset):
    return modeladmin.publish(request, list(queryset), bulk=True)


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(HistoryAdmin):
    list_display = ["name", "code", "date", "deadline", "state_label"]
    list_filter = ["state"]
    search_fields = ["name", "code"]
    date_hierarchy = "date"
    fields = ["code", "name", "date", "deadline", "state"]
    actions = [open_periods, close_periods, publish_periods]
    change_form_template = "admin/goals/reportingperiod/change_form.html"

    def has_review_permission(self, request):
        return may_review(request.user)

    def get_readonly_fields(self, request, obj=None):
        # The state moves by the steps below; the as-of date of a published period is what
        # its published assessments speak for.
        if obj is not None and obj.state == PeriodState.PUBLISHED:
            return ["state", "date"]
        return ["state"]

    @admin.display(description=_("state"), ordering="state")
    def state_label(self, obj):
        return capfirst(obj.get_state_display())

    def get_urls(self):
        opts = self.opts
        prefix = f"{opts.app_label}_{opts.model_name}"
        return [
            path(
                "<path:object_id>/steg/",
                self.admin_site.admin_view(self.step_view),
                name=f"{prefix}_step",
            ),
            path(
                "<path:object_id>/publicera/",
                self.admin_site.admin_view(self.publish_view),
                name=f"{prefix}_publish",
            ),
            *super().get_urls(),
        ]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and may_review(request.user):
            state = obj.state
            context["period_steps"] = {
                "step_url": reverse("admin:goals_reportingperiod_step", args=[obj.pk]),
                "publish_url": reverse("admin:goals_reportingperiod_publish", args=[obj.pk]),
                "can_open": state == PeriodState.PLANNED,
                "can_reopen": state == PeriodState.CLOSED,
                "can_close": state == PeriodState.OPEN,
                "can_publish": state != PeriodState.PLANNED,
            }
        return super().render_change_form(request, context, add, change, form_url, obj)

    def step_view(self, request, object_id):
        """Open, close or reopen one period, from a button on its change page."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        period = self.get_object(request, unquote(object_id))
        if period is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        to = {"open": PeriodState.OPEN, "reopen": PeriodState.OPEN, "close": PeriodState.CLOSED}
        self.move(
            request,
            [period],
            to.get(request.POST.get("step"), ""),
            _("%(count)d opened for reporting.")
            if request.POST.get("step") != "close"
            else _("%(count)d closed for reporting."),
        )
        return HttpResponseRedirect(_change_url(period))

    def move(self, request, periods, to, done) -> None:
        """Move every period to the state `to`, all or none."""
        try:
            if to not in PeriodState.values:
                raise ReportingError(gettext("Unknown step."))
            _all_or_none(
                list(periods),
                lambda period: services.period_move(period=period, user=request.user, to=to),
            )
        except ReportingError as error:
            self.message_user(
                request,
                gettext("Nothing was changed. %(reason)s") % {"reason": error},
                messages.ERROR,
            )
            return
        pagecache.leave_pages_cached(request)
        self.message_user(request, done % {"count": len(periods)}, messages.SUCCESS)

    def publish_view(self, request, object_id):
        """The confirmation page of publishing one period, and the publication."""
        period = self.get_object(request, unquote(object_id))
        if period is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return self.publish(request, [period], bulk=False)

    def publish(self, request, periods, *, bulk: bool):
        """Publish the periods after a confirmation page that says, for each, how many
        approved assessments will be published and how many are not approved yet (and stay
        unpublished)."""
        if not may_review(request.user):
            raise PermissionDenied
        if request.method == "POST" and request.POST.get("confirm") == "yes":
            try:
                _all_or_none(
                    periods,
                    lambda period: services.period_publish(period=period, user=request.user),
                )
            except ReportingError as error:
                self.message_user(
                    request,
                    gettext("Nothing was changed. %(reason)s") % {"reason": error},
                    messages.ERROR,
                )
            else:
                self.message_user(
                    request,
                    gettext("Published: %(periods)s.")
                    % {"periods": ", ".join(str(period) for period in periods)},
                    messages.SUCCESS,
                )
            if bulk:
                return None
            return HttpResponseRedirect(_change_url(periods[0]))
        context = {
            **self.admin_site.each_context(request),
            "title": gettext("Publish the period?"),
            "opts": self.opts,
            "periods": [(period, services.period_counts(period)) for period in periods],
            "bulk": bulk,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(
            request, "admin/goals/reportingperiod/publish_confirmation.html", context
        )
