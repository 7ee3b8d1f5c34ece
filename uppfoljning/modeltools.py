"""Validators, constraints and querysets that both rooms' models use."""

import datetime
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q
from django.utils.deconstruct import deconstructible
from django.utils.text import normalize_newlines, slugify

MIN_YEAR = 1900
MAX_YEAR = 2200
YEAR_VALIDATORS = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
MIN_DATE = datetime.date(MIN_YEAR, 1, 1)
MAX_DATE = datetime.date(MAX_YEAR, 12, 31)


@deconstructible
class HttpUrlValidator(URLValidator):
    """An http:// or https:// address that can exist: Django's URLValidator, which lets a
    port above 65535 through, and a port of 0 to 65535."""

    def __init__(self, **kwargs):
        super().__init__(schemes=["http", "https"], **kwargs)

    def __call__(self, value):
        super().__call__(value)
        try:
            _ = urlsplit(value).port  # reading the port checks it
        except ValueError:
            raise ValidationError(self.message, code=self.code, params={"value": value}) from None


# The one rule for a web address, for the admin's forms and the open-data import alike.
HTTP_URL_VALIDATORS = [HttpUrlValidator()]


def year_in_range(field: str, *, nullable: bool = False) -> models.CheckConstraint:
    """A database constraint that keeps a year column within MIN_YEAR..MAX_YEAR."""
    condition = Q(**{f"{field}__gte": MIN_YEAR, f"{field}__lte": MAX_YEAR})
    if nullable:
        condition |= Q(**{f"{field}__isnull": True})
    return models.CheckConstraint(
        condition=condition, name=f"%(app_label)s_%(class)s_{field}_range"
    )


def choices_constraint(field: str, choices: type[models.TextChoices]) -> models.CheckConstraint:
    """A database constraint that accepts only the values of a TextChoices enumeration."""
    return models.CheckConstraint(
        condition=Q(**{f"{field}__in": choices.values}),
        name=f"%(app_label)s_%(class)s_{field}_valid",
    )


def http_url(field: str, *, blank: bool = False) -> models.CheckConstraint:
    """A database constraint that admits only http(s) addresses."""
    condition = Q(**{f"{field}__startswith": "http://"}) | Q(**{f"{field}__startswith": "https://"})
    if blank:
        condition |= Q(**{field: ""})
    return models.CheckConstraint(condition=condition, name=f"%(app_label)s_%(class)s_{field}_http")


def unique_slug(text: str, taken: set[str], *, max_length: int, fallback: str) -> str:
    """slugify(text) cut to max_length (or `fallback` when that is empty), made unique.

    "-2", "-3", ... is added while the slug is in `taken`; the slug returned is added to it.
    The one slug rule of the portal: plans, bodies and goals' addresses all come from here.
    """
    base = slugify(text)[:max_length].strip("-") or fallback
    slug, counter = base, 1
    while slug in taken:
        counter += 1
        suffix = f"-{counter}"
        slug = base[: max_length - len(suffix)] + suffix
    taken.add(slug)
    return slug


class ProseFormField(forms.CharField):
    """A text field of a form whose line breaks come out as "\n", as the browser's
    textarea sends "\r\n"."""

    def to_python(self, value):
        value = super().to_python(value)
        return normalize_newlines(value) if value else value


class ProseField(models.TextField):
    """A text of lines and paragraphs, stored with "\n" line breaks whichever form it came
    through, so that the admin, the open-data import and the export agree on its value."""

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": ProseFormField, **kwargs})


class PublishedQuerySet(models.QuerySet):
    """Rows the public may see. A model whose publication depends on its parent's (a goal
    on its plan's) sets `published_condition` on its own queryset."""

    published_condition = Q(is_published=True)

    def published(self):
        return self.filter(self.published_condition)


class AssessedMixin:
    """Newest-first and current assessment of a goal or an assignment.

    Reads `published_assessments`, which the model's queryset prefetches for public pages.
    """

    published_assessments: list

    @property
    def assessments_newest_first(self) -> list:
        return sorted(self.published_assessments, key=lambda a: a.period.date, reverse=True)

    @property
    def current_assessment(self):
        """The newest published assessment, or None before the first one."""
        assessments = self.assessments_newest_first
        return assessments[0] if assessments else None

    @property
    def earlier_assessments(self) -> list:
        return self.assessments_newest_first[1:]
