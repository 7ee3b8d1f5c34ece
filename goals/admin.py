"""Admin for the organisation, plans and goals.

Reporting periods and goal assessments move through the reporting round, so their admin
lives with it (reporting/admin.py); a goal lists its goal assessments read-only.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assignments.admin import (
    HistoryAdmin,
    LogEntryNamesHidden,
    PublicationGuard,
    PublicationGuardInline,
    assessment_list,
    review_state_label,
)
from assignments.models import Assignment
from goals.models import (
    FocusArea,
    Goal,
    GoalAction,
    GoalAssessment,
    GoalLink,
    Organisation,
    Plan,
)


@admin.register(Organisation)
class OrganisationAdmin(LogEntryNamesHidden, admin.ModelAdmin):
    list_display = ["name", "website"]

    def has_add_permission(self, request):
        return super().has_add_permission(request) and not Organisation.objects.exists()


class NewStartsUnpublished:
    """ModelAdmin mixin: after adding a record the public cannot see yet, say so."""

    def response_add(self, request, obj, post_url_continue=None):
        if not self.is_public(obj):
            self.message_user(
                request,
                gettext("“%(name)s” is not shown to the public yet. Publish it when it is ready.")
                % {"name": obj},
                messages.WARNING,
            )
        return super().response_add(request, obj, post_url_continue)


class GoalInline(PublicationGuardInline, admin.TabularInline):
    model = Goal
    fields = ["number", "title", "is_published"]
    extra = 0
    show_change_link = True
    ordering = ["number"]


@admin.register(Plan)
class PlanAdmin(NewStartsUnpublished, PublicationGuard, HistoryAdmin):
    list_display = ["name", "code", "start_year", "end_year", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["code"]}
    inlines = [GoalInline]

    def is_public(self, obj):
        return obj.is_published


class FocusAreaInline(admin.StackedInline):
    model = FocusArea
    extra = 0
    ordering = ["position"]


class GoalLinkInline(admin.TabularInline):
    model = GoalLink
    extra = 0
    ordering = ["position"]


class GoalActionInline(admin.StackedInline):
    model = GoalAction
    extra = 0
    ordering = ["position"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fields = ["number", "title", "all_committees", "all_companies", "added_year"]
    extra = 0
    show_change_link = True
    ordering = ["number"]

    def get_queryset(self, request):
        visible = Assignment.objects.editable_by(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=visible)


@admin.register(Goal)
class GoalAdmin(NewStartsUnpublished, PublicationGuard, HistoryAdmin):
    list_display = ["__str__", "plan", "is_published", "is_public"]
    list_filter = ["plan", "is_published"]
    search_fields = ["title", "tagline", "description"]
    list_select_related = ["plan"]
    ordering = ["-plan__start_year", "number"]
    readonly_fields = ["goal_assessments_overview"]
    inlines = [
        FocusAreaInline,
        GoalLinkInline,
        GoalActionInline,
        AssignmentInline,
    ]

    @admin.display(description=_("shown to the public"), boolean=True)
    def is_public(self, obj):
        return obj.is_published and obj.plan.is_published

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        fields = [name for name in fields if name != "goal_assessments_overview"]
        if obj is not None and request.user.has_perm("goals.view_goalassessment"):
            fields.append("goal_assessments_overview")
        return fields

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None and request.user.has_perm("goals.view_goalassessment"):
            obj.listed_assessments = list(
                GoalAssessment.objects.filter(goal=obj)
                .select_related("period")
                .order_by("-period__date", "-pk")
            )
        return obj

    @admin.display(description=_("goal assessments"))
    def goal_assessments_overview(self, obj):
        """The goal's assessments, newest period first; each is written and reviewed on
        its own page."""
        return assessment_list(
            getattr(obj, "listed_assessments", []),
            [
                (gettext("reporting period"), lambda a: a.period),
                (gettext("fulfilment"), lambda a: a.get_fulfilment_display()),
                (gettext("state"), review_state_label),
            ],
        )
