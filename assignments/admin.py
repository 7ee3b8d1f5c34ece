"""Admin for bodies and assignments, and what the other rooms' admins share: the history
that hides other users' names from officials, and the publication of plans and goals.

Who may act on which assignment is `Assignment.objects.editable_by(user)`: every one for
the coordinator (roles.may_review), else those of the user's bodies. The
assessments are written, reviewed and published in their own admin (reporting/admin.py),
through the reporting round's services; here an assignment lists its assessments
read-only.
"""

import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import model_ngettext, unquote
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponseRedirect
from django.template.defaultfilters import yesno
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.html import format_html, format_html_join
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin
from simple_history.template_utils import HistoricalRecordContextHelper

from assignments.models import Assessment, Assignment, AssignmentResponsibility, ResponsibleBody
from assignments.roles import may_publish, may_review

PUBLISHED_NOTE = _("This is published, so only the coordinator can change or delete it.")

# Texts that Django 6.1 and django-simple-history show in the admin and whose Swedish
# catalogues lack them (the empty choice of every select; the history page): listed here so
# that makemessages puts them in the project's catalogue, which translates them.
THIRD_PARTY_TEXTS = (
    gettext_noop("- Select an option -"),
    gettext_noop("View history: %s"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("This object doesn't have a change history."),
)


# --------------------------------------------------------------------------- history


def shown_user(viewer, user) -> str:
    """Who made a change, as `viewer` may see it: the name for the coordinator and the
    administrators; for anyone else "you" for their own changes, and no other name."""
    if user is None:
        return gettext("No user (an import or a command)")
    if may_review(viewer):
        return user.get_full_name() or user.get_username()
    if user.pk == viewer.pk:
        return gettext("You")
    return gettext("Another user")


class HistoryValues(HistoricalRecordContextHelper):
    """Old and new values as the admin shows them: a choice by its label, an empty value
    as a dash, a date in Swedish."""

    def __init__(self, model, historical_record):
        super().__init__(model, historical_record, max_displayed_delta_change_chars=400)

    def prepare_delta_change_value(self, change, value):
        field = self.model._meta.get_field(change.field)
        if value is None or value == "":
            return "–"
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        if isinstance(value, bool):
            return yesno(value)
        if isinstance(value, datetime.datetime):
            return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")
        if isinstance(value, datetime.date):
            return formats.date_format(value, "DATE_FORMAT")
        return super().prepare_delta_change_value(change, value)


class HistoryAdmin(SimpleHistoryAdmin):
    """The history of a record (django-simple-history): every change, by whom and when,
    with old and new values. Read only: an old version is never restored from here (that
    would go around the reporting round). An official sees no other user's name
    (shown_user), and only the history of what they may see."""

    # Bookkeeping that says nothing a reader needs.
    history_hidden_fields = ("version",)

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        if not may_review(request.user) and self.get_object(request, unquote(object_id)) is None:
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        # No form of an old version, and so no way to save one back.
        opts = self.opts
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_history", args=[object_id])
        )

    def get_history_queryset(self, request, history_manager, pk_name, object_id):
        # The library's own selects every tracked foreign key with select_related(), which
        # for a model without one is select_related() of nothing (deprecated).
        records = history_manager.filter(**{pk_name: object_id}).select_related("history_user")
        keys = [f.name for f in history_manager.model.tracked_fields if f.many_to_one]
        return records.select_related(*keys) if keys else records

    def get_historical_record_context_helper(self, request, historical_record):
        return HistoryValues(self.model, historical_record)

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        previous = None
        for current in historical_records:
            current.shown_user = shown_user(request.user, current.history_user)
            if previous is not None:
                delta = previous.diff_against(
                    current,
                    excluded_fields=[
                        name
                        for name in self.history_hidden_fields
                        if name in {f.name for f in current._meta.fields}
                    ],
                    foreign_keys_are_objs=foreign_keys_are_objs,
                )
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current


class LogEntryNamesHidden:
    """ModelAdmin mixin: the admin's own history page (its log entries) names the users
    as shown_user() does."""

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        for entry in getattr(response, "context_data", {}).get("action_list") or []:
            entry.shown_user = shown_user(request.user, entry.user)
        return response


# --------------------------------------------------------------------------- publication


@admin.action(permissions=["publish"], description=_("Publish selected %(verbose_name_plural)s"))
def publish(modeladmin, request, queryset):
    _set_published(modeladmin, request, queryset, True)


@admin.action(permissions=["publish"], description=_("Unpublish selected %(verbose_name_plural)s"))
def unpublish(modeladmin, request, queryset):
    _set_published(modeladmin, request, queryset, False)


def _set_published(modeladmin, request, queryset, published: bool) -> None:
    """Publish or unpublish the records of `queryset` not so already, each saved on its
    own so that the history records the change, with a log entry each."""
    changing = list(queryset.filter(is_published=not published))
    for obj in changing:
        obj.is_published = published
        obj.save(update_fields=["is_published"])
    with translation.override(None):  # stored untranslated, as the admin's own log entries
        field = str(modeladmin.opts.get_field("is_published").verbose_name)
    for obj in changing:
        modeladmin.log_change(request, obj, [{"changed": {"fields": [field]}}])
    message = (
        gettext("%(count)d %(items)s published.")
        if published
        else gettext("%(count)d %(items)s unpublished.")
    )
    count = len(changing)
    items = model_ngettext(modeladmin.opts, count)
    modeladmin.message_user(request, message % {"count": count, "items": items}, messages.SUCCESS)


class PublicationGuard:
    """ModelAdmin mixin for a model with an `is_published` box (plans and goals):
    publication takes the coordinator.

    A user who may not publish (roles.may_publish) sees `is_published` read-only, cannot
    change or delete a published record (its change page is read-only; a POST to it, to its
    delete page or a bulk delete that includes it is refused with 403), and has no publish
    or unpublish action.
    """

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


# --------------------------------------------------------------------------- read-only lists


def review_state_label(record) -> str:
    """A record's state in the review as text (never a colour alone): "returned" for a
    draft the coordinator sent back."""
    if record.is_returned:
        return gettext("Returned to the official")
    return capfirst(record.get_state_display())


def assessment_list(records, columns) -> str:
    """A table of assessments for a read-only field: `columns` are (heading, function of
    a record); each row links to the record's page in its own admin, where it is written
    and reviewed."""
    if not records:
        return gettext("None yet.")
    head = format_html_join("", '<th scope="col">{}</th>', ((heading,) for heading, _ in columns))
    rows = []
    for record in records:
        opts = record._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[record.pk])
        cells = [value(record) for _, value in columns]
        first = format_html('<th scope="row"><a href="{}">{}</a></th>', url, cells[0])
        rest = format_html_join("", "<td>{}</td>", ((cell,) for cell in cells[1:]))
        rows.append(format_html("<tr>{}{}</tr>", first, rest))
    return format_html(
        '<table class="reporting-list"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>',
        head,
        format_html_join("", "{}", ((row,) for row in rows)),
    )


# --------------------------------------------------------------------------- the models


@admin.register(ResponsibleBody)
class ResponsibleBodyAdmin(LogEntryNamesHidden, admin.ModelAdmin):
    list_display = ["name", "code", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]
    prepopulated_fields = {"slug": ["code"]}
    filter_horizontal = ["officials"]
    ordering = ["kind", "name"]

    def get_fields(self, request, obj=None):
        # Who the officials are is for those who may change the body (the coordinator
        # and the administrators), not for the officials who may only look at it.
        fields = super().get_fields(request, obj)
        if self.has_change_permission(request, obj):
            return fields
        return [name for name in fields if name != "officials"]


class ResponsibilityInline(admin.TabularInline):
    model = AssignmentResponsibility
    extra = 1
    autocomplete_fields = ["body"]
    ordering = ["position"]


@admin.register(Assignment)
class AssignmentAdmin(HistoryAdmin):
    list_display = ["short_title", "number", "goal", "responsible", "current_status_label"]
    list_display_links = ["short_title"]
    list_filter = ["goal__plan", "goal", "all_committees", "all_companies", "bodies"]
    search_fields = ["title", "goal__title", "bodies__name", "bodies__code"]
    list_select_related = ["goal__plan"]
    autocomplete_fields = ["goal"]
    inlines = [ResponsibilityInline]
    ordering = ["-goal__plan__start_year", "goal__number", "number"]
    fields = [
        "goal",
        "number",
        "title",
        "all_committees",
        "all_companies",
        "added_year",
        "expected_completion_year",
        "assessments_overview",
    ]
    readonly_fields = ["assessments_overview"]

    def get_queryset(self, request):
        # Also what the assessment form's assignment autocomplete offers.
        queryset = super().get_queryset(request)
        queryset = queryset.filter(pk__in=Assignment.objects.editable_by(request.user).values("pk"))
        return queryset.with_public_details(history=False)

    def get_fields(self, request, obj=None):
        fields = super().get_fields(request, obj)
        return fields if obj else [name for name in fields if name != "assessments_overview"]

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

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            # What assessments_overview() shows: the assessments the user may see.
            obj.visible_assessments = list(
                Assessment.objects.editable_by(request.user)
                .filter(assignment=obj)
                .select_related("period", "body")
                .order_by("-period__date", "body__name", "-pk")
            )
        return obj

    @admin.display(description=_("assessments"))
    def assessments_overview(self, obj):
        """The assessments of the assignment the user may see, newest period first; each
        is written and reviewed on its own page."""
        return assessment_list(
            getattr(obj, "visible_assessments", []),
            [
                (gettext("reporting period"), lambda a: a.period),
                (gettext("reported by"), lambda a: a.body or gettext("The municipality")),
                (gettext("status"), lambda a: a.get_status_display()),
                (gettext("state"), review_state_label),
            ],
        )
