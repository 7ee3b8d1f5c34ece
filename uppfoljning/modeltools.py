"""Validators, constraints and querysets that both rooms' models use."""

import datetime

from django.core.validators import MaxValueValidator, MinValueValidator, URLValidator
from django.db import models
from django.db.models import Q

MIN_YEAR = 1900
MAX_YEAR = 2200
YEAR_VALIDATORS = [MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
MIN_DATE = datetime.date(MIN_YEAR, 1, 1)
MAX_DATE = datetime.date(MAX_YEAR, 12, 31)
HTTP_URL_VALIDATORS = [URLValidator(schemes=["http", "https"])]


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


class PublishedQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True)
