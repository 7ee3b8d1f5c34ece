from django.utils.functional import SimpleLazyObject

from goals.models import Organisation


def organisation(request):
    """The publishing municipality, fetched only by a page that shows it."""
    return {"organisation": SimpleLazyObject(Organisation.current)}
