"""Admin for plans, goals, reporting periods and goal assessments."""

from django.contrib import admin, messages
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assignments.admin import PublicationGuard, PublicationGuardInline
from assignments.models import Assignment
from goals.models import (
    FocusArea,
    Goal,
    GoalAction,
    GoalAssessment,
    GoalLink,
    Organisation,
    Plan,
    ReportingPeriod,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
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
class PlanAdmin(NewStartsUnpublished, PublicationGuard, admin.ModelAdmin):
    list_display = ["name", "code", "start_year", "end_year", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["code"]}
    inlines = [GoalInline]

    def is_public(self, obj):
        return obj.is_published


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "date"]
    search_fields = ["name", "code"]
    date_hierarchy = "date"


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


class GoalAssessmentInline(PublicationGuardInline, admin.StackedInline):
    model = GoalAssessment
    extra = 0
    ordering = ["-period__date"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fields = ["number", "title", "all_committees", "all_companies", "added_year"]
    extra = 0
    show_change_link = True
    ordering = ["number"]

    def get_queryset(self, request):
        editable = Assignment.objects.editable_by(request.user).values("pk")
        return super().get_queryset(request).filter(pk__in=editable)


@admin.register(Goal)
class GoalAdmin(NewStartsUnpublished, PublicationGuard, admin.ModelAdmin):
    list_display = ["__str__", "plan", "is_published", "is_public"]
    list_filter = ["plan", "is_published"]
    search_fields = ["title", "tagline", "description"]
    list_select_related = ["plan"]
    ordering = ["-plan__start_year", "number"]
    inlines = [
        FocusAreaInline,
        GoalLinkInline,
        GoalActionInline,
        GoalAssessmentInline,
        AssignmentInline,
    ]

    @admin.display(description=_("shown to the public"), boolean=True)
    def is_public(self, obj):
        return obj.is_published and obj.plan.is_published


@admin.register(GoalAssessment)
class GoalAssessmentAdmin(PublicationGuard, admin.ModelAdmin):
    list_display = ["goal", "period", "fulfilment", "short_text", "is_published"]
    list_filter = ["period", "fulfilment", "is_published", "goal__plan"]
    search_fields = ["text", "goal__title"]
    list_select_related = ["goal", "period"]
    autocomplete_fields = ["goal"]
    ordering = ["-period__date", "goal__number"]
    drafts_are_private = True

    @admin.display(description=_("assessment"))
    def short_text(self, obj):
        return Truncator(obj.text).chars(80)
