"""The portal's own pages: the accessibility statement and the page about cookies."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def accessibility(request):
    return render(
        request,
        "pages/accessibility.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL},
    )


@require_GET
def cookies(request):
    return render(
        request,
        "pages/cookies.html",
        {"session_hours": settings.SESSION_COOKIE_AGE // 3600},
    )
