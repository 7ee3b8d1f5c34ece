"""Admin for bodies, assignments and assessments.

Officials (staff users who are not superusers) see and change only the assignments their
own bodies answer for, and the assessments of those assignments.
"""

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from assignments.models import (
    Assessment,
    Assignment,
    AssignmentResponsibility,
    BodyKind,
    ResponsibleBody,
)


def assignments_of_user(user, assignments=None):
    """The assignments a staff user may touch: all for a superuser, else their bodies'."""
    assignments = Assignment.objects.all() if assignments is None else assignments
    if user.is_superuser:
        return assignments
    bodies = list(user.responsible_bodies.all())
    if not bodies:
        return assignments.none()
    condition = Q(responsibilities__body__in=bodies)
    if any(b.kind == BodyKind.COMMITTEE for b in bodies):
        condition |= Q(all_committees=True)
    if any(b.kind == BodyKind.COMPANY for b in bodies):
        condition |= Q(all_companies=True)
    return assignments.filter(pk__in=Assignment.objects.filter(condition).values("pk"))


@admin.register(ResponsibleBody)
class ResponsibleBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["code"]}
    filter_horizontal = ["officials"]
    ordering = ["kind", "name"]


class ResponsibilityInline(admin.TabularInline):
    model = AssignmentResponsibility
    extra = 1
    autocomplete_fields = ["body"]
    ordering = ["position"]


class AssessmentInline(admin.StackedInline):
    model = Assessment
    extra = 1
    fields = ["period", "status", "text", "is_published"]
    ordering = ["-period__date"]

    def get_readonly_fields(self, request, obj=None):
        if request.user.has_perm("assignments.publish_assessment"):
            return []
        return ["is_published"]


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["short_title", "number", "goal", "responsible", "current_status_label"]
    list_display_links = ["short_title"]
    list_filter = ["goal__plan", "goal", "all_committees", "all_companies", "bodies"]
    search_fields = ["title", "goal__title", "bodies__name", "bodies__code"]
    list_select_related = ["goal__plan"]
    autocomplete_fields = ["goal"]
    inlines = [ResponsibilityInline, AssessmentInline]
    ordering = ["-goal__plan__start_year", "goal__number", "number"]
    fields = [
        "goal",
        "number",
        "title",
        "all_committees",
        "all_companies",
        "added_year",
        "expected_completion_year",
    ]

    def get_queryset(self, request):
        queryset = super().get_queryset(request).with_public_details(history=False)
        return assignments_of_user(request.user, queryset)

    @admin.display(description=_("title"), ordering="title")
    def short_title(self, obj):
        return Truncator(obj.title).chars(80)

    @admin.display(description=_("responsible bodies"))
    def responsible(self, obj):
        names = [b.code for b in obj.responsible_bodies]
        if obj.all_committees:
            names.insert(0, str(_("all committees")))
        if obj.all_companies:
            names.insert(0, str(_("all companies")))
        return ", ".join(names)

    @admin.display(description=_("status now"))
    def current_status_label(self, obj):
        status = obj.current_status
        return status.label if status else "–"


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ["assignment", "period", "status", "is_published"]
    list_filter = ["period", "status", "is_published", "assignment__goal"]
    search_fields = ["text", "assignment__title"]
    list_select_related = ["assignment__goal", "period"]
    autocomplete_fields = ["assignment"]
    ordering = ["-period__date", "assignment__goal__number", "assignment__number"]
    actions = ["publish"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(assignment__in=assignments_of_user(request.user))

    def get_readonly_fields(self, request, obj=None):
        if request.user.has_perm("assignments.publish_assessment"):
            return []
        return ["is_published"]

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignment":
            kwargs["queryset"] = assignments_of_user(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def has_publish_permission(self, request):
        return request.user.has_perm("assignments.publish_assessment")

    @admin.action(description=_("Publish the selected assessments"), permissions=["publish"])
    def publish(self, request, queryset):
        count = queryset.filter(is_published=False).update(is_published=True)
        self.message_user(
            request,
            ngettext(
                "%(count)d assessment was published.",
                "%(count)d assessments were published.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )
