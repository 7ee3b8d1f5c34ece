"""Admin for plans, goals, reporting periods and goal assessments."""

from django.contrib import admin
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

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


class GoalInline(admin.TabularInline):
    model = Goal
    fields = ["number", "title", "is_published"]
    extra = 0
    show_change_link = True
    ordering = ["number"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "start_year", "end_year"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["code"]}
    inlines = [GoalInline]


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


class GoalAssessmentInline(admin.StackedInline):
    model = GoalAssessment
    extra = 0
    ordering = ["-period__date"]


class AssignmentInline(admin.TabularInline):
    model = Assignment
    fields = ["number", "title", "all_committees", "all_companies", "added_year"]
    extra = 0
    show_change_link = True
    ordering = ["number"]


@admin.register(Goal)
class GoalAdmin(admin.ModelAdmin):
    list_display = ["__str__", "plan", "is_published"]
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


@admin.register(GoalAssessment)
class GoalAssessmentAdmin(admin.ModelAdmin):
    list_display = ["goal", "period", "fulfilment", "short_text", "is_published"]
    list_filter = ["period", "fulfilment", "is_published", "goal__plan"]
    search_fields = ["text", "goal__title"]
    list_select_related = ["goal", "period"]
    autocomplete_fields = ["goal"]
    ordering = ["-period__date", "goal__number"]

    @admin.display(description=_("assessment"))
    def short_text(self, obj):
        return Truncator(obj.text).chars(80)
