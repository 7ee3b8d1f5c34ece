"""The spreadsheet round trip's admin pages (reporting/spreadsheet.py does the work).

Between the preview and the apply, the checked rows (UploadPreview.to_data(): plain data,
no file) are kept in the cache under a random token tied to the user: the browser holds the
token only, never the rows, so what is applied is exactly what was previewed and checked.
The cache is the one every server process shares (files in CACHE_DIR, or Redis on several
machines); an entry lives an hour and is used once. The file itself is never stored.
"""

import secrets

from django import forms
from django.contrib import admin, messages
from django.core.cache import cache
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import date as date_filter
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from goals.models import ReportingPeriod
from reporting import spreadsheet
from reporting.services import ReportingError

PREVIEW_SECONDS = 60 * 60


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Filled-in spreadsheet (.xlsx)"),
        help_text=gettext_lazy("At most 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{spreadsheet.XLSX_CONTENT_TYPE}"}),
    )


class SizeLimitHandler(FileUploadHandler):
    """Stops storing an uploaded file once it is larger than the spreadsheet's limit (the
    rest of the request is read and dropped), and marks the request."""

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > spreadsheet.MAX_UPLOAD_BYTES:
            self.request.spreadsheet_too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


def open_period() -> ReportingPeriod | None:
    """The period the officials report for now: the newest one open for reporting."""
    return ReportingPeriod.objects.open_for_reporting().order_by("-date").first()


def _render(request, template: str, context: dict, status: int = 200):
    period = context.get("period")
    deadline = date_filter(period.deadline, "j F Y") if period and period.deadline else ""
    context = {
        **admin.site.each_context(request),
        "title": _("Report with a spreadsheet"),
        "deadline": deadline,
        **context,
    }
    return render(request, template, context, status=status)


def _token_key(user, token: str) -> str:
    return f"reporting:spreadsheet:{user.pk}:{token}"


@admin.site.admin_view
@require_GET
def spreadsheet_page(request):
    """The download link and the upload form for the open period."""
    return _render(
        request,
        "reporting/spreadsheet_page.html",
        {"period": open_period(), "form": UploadForm()},
    )


@admin.site.admin_view
@require_GET
def download(request):
    period = open_period()
    if period is None:
        messages.error(request, _("No reporting period is open for reporting."))
        return redirect("reporting:spreadsheet")
    data = spreadsheet.round_workbook(user=request.user, period=period)
    response = HttpResponse(data, content_type=spreadsheet.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="rapportering-{period.pk}.xlsx"'
    return response


@admin.site.admin_view
@csrf_exempt  # checked below, once the upload handler is in place (Django's documented way)
@require_POST
def upload(request):
    """Check an uploaded file and show what it would change, row by row."""
    request.upload_handlers.insert(0, SizeLimitHandler(request))
    return _upload(request)


@csrf_protect
def _upload(request):
    period = open_period()
    if period is None:
        messages.error(request, _("No reporting period is open for reporting."))
        return redirect("reporting:spreadsheet")
    form = UploadForm(request.POST, request.FILES)
    if getattr(request, "spreadsheet_too_large", False):
        preview = spreadsheet.UploadPreview(
            period_id=period.pk, errors=[spreadsheet.too_large_message()]
        )
    elif not form.is_valid():
        return _render(
            request,
            "reporting/spreadsheet_page.html",
            {"period": period, "form": form},
            status=400,
        )
    else:
        preview = spreadsheet.read_upload(
            user=request.user, period=period, file=form.cleaned_data["file"]
        )
    token = ""
    if preview.is_valid and preview.changes:
        token = secrets.token_urlsafe(32)
        cache.set(_token_key(request.user, token), preview.to_data(), PREVIEW_SECONDS)
    return _render(
        request,
        "reporting/spreadsheet_preview.html",
        {
            "period": period,
            "preview": preview,
            "token": token,
            "form": UploadForm(),
            "counts": _counts(preview),
        },
        status=200 if preview.is_valid else 400,
    )


def _counts(preview) -> dict[str, int]:
    counts = {"new": 0, "changed": 0, "unchanged": 0, "empty": 0, "errors": 0}
    for row in preview.rows:
        counts[row.change] += 1
        counts["errors"] += bool(row.errors)
    return counts


@admin.site.admin_view
@require_POST
def apply(request):
    """Write the previewed rows (the token's), all or none."""
    token = request.POST.get("token", "")
    key = _token_key(request.user, token)
    data = cache.get(key) if token else None
    if data is None:
        messages.error(
            request,
            _("The preview has expired or has already been saved. Upload the file again."),
        )
        return redirect("reporting:spreadsheet")
    cache.delete(key)
    try:
        counts = spreadsheet.apply_upload(
            user=request.user, preview=spreadsheet.UploadPreview.from_data(data)
        )
    except ReportingError as error:
        messages.error(request, str(error))
        return redirect("reporting:spreadsheet")
    messages.success(
        request,
        _("Saved: %(created)s new drafts, %(updated)s changed drafts.") % counts,
    )
    return redirect("reporting:spreadsheet")
