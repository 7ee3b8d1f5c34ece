"""Admin for bodies, assignments and assessments.

Who may act on which assignment is `Assignment.objects.editable_by(user)`: the admin's lists,
forms, actions, inlines and the assignment autocomplete all ask there. Who may make content
public, and change or delete what is public, is `roles.may_publish(user)`: everyone else
enters drafts and sees published records read-only (PublicationGuard, also used by the
goals room's admin for plans, goals and goal assessments).
"""

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext
from django.forms.models import BaseInlineFormSet
from django.utils import translation
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from assignments.models import Assessment, Assignment, AssignmentResponsibility, ResponsibleBody
from assignments.roles import may_publish
from uppfoljning import pagecache

PUBLISHED_NOTE = _("This is published, so only a publisher can change or delete it.")


# --------------------------------------------------------------------------- publication


@admin.action(permissions=["publish"], description=_("Publish selected %(verbose_name_plural)s"))
def publish(modeladmin, request, queryset):
    _set_published(modeladmin, request, queryset, True)


@admin.action(permissions=["publish"], description=_("Unpublish selected %(verbose_name_plural)s"))
def unpublish(modeladmin, request, queryset):
    _set_published(modeladmin, request, queryset, False)


def _set_published(modeladmin, request, queryset, published: bool) -> None:
    """Publish or unpublish the records of `queryset` not so already, with a log entry each."""
    changing = list(queryset.filter(is_published=not published))
    rows = modeladmin.model._default_manager.filter(pk__in=[obj.pk for obj in changing])
    count = rows.update(is_published=published)
    with translation.override(None):  # stored untranslated, as the admin's own log entries
        field = str(modeladmin.opts.get_field("is_published").verbose_name)
    for obj in changing:
        modeladmin.log_change(request, obj, [{"changed": {"fields": [field]}}])
    message = (
        gettext("%(count)d %(items)s published.")
        if published
        else gettext("%(count)d %(items)s unpublished.")
    )
    items = model_ngettext(modeladmin.opts, count)
    modeladmin.message_user(request, message % {"count": count, "items": items}, messages.SUCCESS)


class PublicationGuard:
    """ModelAdmin mixin for a model with `is_published`: publication takes a publisher.

    A user who may not publish (roles.may_publish) sees `is_published` read-only, cannot
    change or delete a published record (its change page is read-only; a POST to it, to its
    delete page or a bulk delete that includes it is refused with 403), and has no publish
    or unpublish action.

    With `drafts_are_private` (records with nothing public below them: assessments), a save
    or delete of a record that is a draft before and after leaves citizens' cached pages
    in the cache.
    """

    drafts_are_private = False
    actions = [publish, unpublish]

    def has_change_permission(self, request, obj=None):
        if self._kept_from(request, obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if self._kept_from(request, obj):
            return False
        return super().has_delete_permission(request, obj)

    def has_publish_permission(self, request):
        return may_publish(request.user) and self.has_change_permission(request)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not may_publish(request.user) and "is_published" not in readonly:
            readonly.append("is_published")
        return readonly

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        # Say why the page is read-only, to whoever could change the record but for that.
        if self._kept_from(request, obj) and super().has_change_permission(request, obj):
            context["publication_note"] = PUBLISHED_NOTE
        return super().render_change_form(request, context, add, change, form_url, obj)

    @staticmethod
    def _kept_from(request, obj) -> bool:
        """Whether obj is published and the user may not publish."""
        return obj is not None and obj.is_published and not may_publish(request.user)

    def save_model(self, request, obj, form, change):
        was_published = (
            change and type(obj)._default_manager.filter(pk=obj.pk, is_published=True).exists()
        )
        super().save_model(request, obj, form, change)
        if self.drafts_are_private and not was_published and not obj.is_published:
            pagecache.leave_pages_cached(request)

    def delete_model(self, request, obj):
        super().delete_model(request, obj)
        if self.drafts_are_private and not obj.is_published:
            pagecache.leave_pages_cached(request)

    def delete_queryset(self, request, queryset):
        any_published = queryset.filter(is_published=True).exists()
        super().delete_queryset(request, queryset)
        if self.drafts_are_private and not any_published:
            pagecache.leave_pages_cached(request)


class PublishedRowsReadOnlyFormSet(BaseInlineFormSet):
    """An inline formset whose published rows are read-only for a user who may not publish.

    The fields of such a row, its delete box included, are disabled: whatever is posted for
    them is ignored, so the row is neither changed nor deleted.
    """

    may_publish = True  # set per request by PublicationGuardInline.get_formset()

    def add_fields(self, form, index):
        super().add_fields(form, index)
        instance = form.instance
        if not self.may_publish and instance.pk is not None and instance.is_published:
            for field in form.fields.values():
                field.disabled = True


class PublicationGuardInline:
    """InlineModelAdmin mixin: PublicationGuard's rule for the rows of an inline."""

    formset = PublishedRowsReadOnlyFormSet

    def get_formset(self, request, obj=None, **kwargs):
        formset = super().get_formset(request, obj, **kwargs)
        formset.may_publish = may_publish(request.user)
        return formset

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not may_publish(request.user) and "is_published" not in readonly:
            readonly.append("is_published")
        return readonly


# --------------------------------------------------------------------------- the models


@admin.register(ResponsibleBody)
class ResponsibleBodyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["code"]}
    filter_horizontal = ["officials"]
    ordering = ["kind", "name"]

    def get_fields(self, request, obj=None):
        # Who the officials are is for those who may change the body (administrators),
        # not for the officials who may only look at it.
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return [name for name in fields if name != "officials"]


class ResponsibilityInline(admin.TabularInline):
    model = AssignmentResponsibility
    extra = 1
    autocomplete_fields = ["body"]
    ordering = ["position"]


class AssessmentInline(PublicationGuardInline, admin.StackedInline):
    model = Assessment
    extra = 1
    fields = ["period", "status", "text", "is_published"]
    ordering = ["-period__date"]


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
        # Also what the assessment form's assignment autocomplete offers.
        queryset = super().get_queryset(request).editable_by(request.user)
        return queryset.with_public_details(history=False)

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
class AssessmentAdmin(PublicationGuard, admin.ModelAdmin):
    list_display = ["assignment", "period", "status", "is_published"]
    list_filter = ["period", "status", "is_published", "assignment__goal"]
    search_fields = ["text", "assignment__title"]
    list_select_related = ["assignment__goal", "period"]
    autocomplete_fields = ["assignment"]
    ordering = ["-period__date", "assignment__goal__number", "assignment__number"]
    drafts_are_private = True

    def get_queryset(self, request):
        editable = Assignment.objects.editable_by(request.user)
        return super().get_queryset(request).filter(assignment__in=editable)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "assignment":
            kwargs["queryset"] = Assignment.objects.editable_by(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
