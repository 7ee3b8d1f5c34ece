"""The reporting round's staff pages, in the admin's look: an official's "Att rapportera"
and the coordinator's overview per body. Both are wrapped in admin.site.admin_view
(reporting/urls.py): staff only, never cached; what they read is reporting/queries.py's."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from assignments.models import Assignment
from assignments.roles import may_review
from goals.models import Goal, PeriodState, ReportingPeriod
from goals.views import render_goal_page
from reporting import preview as round_preview
from reporting import queries
from reporting.queries import RowState


def admin_start(request):
    """The admin's start page: Att rapportera for an official (their work, not the list of
    models), the admin's index for the coordinator and the administrators."""
    user = request.user
    if not (user.is_superuser or may_review(user)) and user.responsible_bodies.exists():
        return redirect("reporting:to_report")
    return admin.site.index(request)


def to_report(request):
    """Att rapportera: every assignment the user's bodies answer for in the open periods,
    with where its assessment stands and a link to its form; ?state= shows one state."""
    today = timezone.localdate()
    periods = list(ReportingPeriod.objects.open_for_reporting())
    rounds = queries.round_rows(request.user, periods, today=today)
    counts = queries.state_counts(rounds)
    state = RowState.parse(request.GET.get("state"))
    context = {
        **admin.site.each_context(request),
        "title": _("To report"),
        "periods": periods,
        "rounds": queries.only_state(rounds, state),
        "has_bodies": request.user.responsible_bodies.exists(),
        "state": state,
        "filters": [(s, counts[s]) for s in RowState],
        "total": sum(counts.values()),
        "is_coordinator": may_review(request.user),
    }
    return render(request, "reporting/to_report.html", context)


class PeriodForm(forms.Form):
    period = forms.ModelChoiceField(
        queryset=ReportingPeriod.objects.order_by("-date"),
        label=gettext_lazy("Reporting period"),
        required=False,
        empty_label=None,
        error_messages={"invalid_choice": gettext_lazy("There is no such reporting period.")},
    )


def overview(request):
    """The coordinator's overview of a period's round (the open one unless ?period= names
    another): per body, how many of its assignments are missing, submitted, approved ..."""
    if not may_review(request.user):
        raise PermissionDenied
    form = PeriodForm(request.GET if "period" in request.GET else None)
    chosen = form.cleaned_data["period"] if form.is_valid() else None
    period = chosen or default_period()
    if not form.is_bound and period is not None:
        form = PeriodForm(initial={"period": period.pk})
    lines, totals = queries.body_overview(period) if period else ([], None)
    context = {
        **admin.site.each_context(request),
        "title": _("Reporting overview"),
        "form": form,
        "period": period,
        "deadline": queries.deadline_text(period, timezone.localdate()) if period else "",
        "lines": lines,
        "totals": totals,
        "states": list(RowState),
    }
    return render(request, "reporting/overview.html", context)


def default_period() -> ReportingPeriod | None:
    """The period open for reporting (the newest, if several are), else the newest."""
    return (
        ReportingPeriod.objects.open_for_reporting().order_by("-date").first()
        or ReportingPeriod.objects.order_by("-date").first()
    )


def preview(request, plan, number):
    """The goal page as it will look when the round's period is published: its approved
    assessments (?med=alla: every version in review) in place of the published ones. For
    the coordinator only (an official would see other bodies' work); never cached (it is
    served under /admin/); ?period=<id> chooses the period (default: the open one, else the
    newest not yet published)."""
    if not may_review(request.user):
        raise PermissionDenied
    goal = get_object_or_404(Goal.objects.select_related("plan"), plan__slug=plan, number=number)
    periods = ReportingPeriod.objects.exclude(state=PeriodState.PUBLISHED).order_by("-date")
    chosen = request.GET.get("period", "")
    period = (
        periods.filter(pk=chosen).first()
        if chosen.isdigit()
        else periods.filter(state=PeriodState.OPEN).first() or periods.first()
    )
    if period is None:
        raise Http404(_("There is no reporting period to preview."))
    include = request.GET.get("med", round_preview.PREVIEW_APPROVED)
    if include not in round_preview.PREVIEW_STATES:
        include = round_preview.PREVIEW_APPROVED
    listed = Assignment.objects.filter(goal=goal).order_by("number").for_page()
    round_preview.round_assignments(listed, period, include=include)
    round_preview.goal_with_round(goal, period, include=include)
    note = (
        _("Preview of %(period)s with the approved assessments: not published.")
        if include == round_preview.PREVIEW_APPROVED
        else _("Preview of %(period)s with every assessment in review: not published.")
    )
    return render_goal_page(request, goal, listed, preview_note=note % {"period": period})
