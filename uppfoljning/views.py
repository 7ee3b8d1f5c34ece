"""The portal's own pages: the accessibility statement and the page about cookies."""

from django.conf import settings
from django.shortcuts import render

from uppfoljning.public import public_page


@public_page()
def accessibility(request):
    return render(
        request,
        "pages/accessibility.html",
        {"contact_email": settings.ACCESSIBILITY_CONTACT_EMAIL},
    )


@public_page()
def cookies(request):
    return render(
        request,
        "pages/cookies.html",
        {"session_hours": settings.SESSION_COOKIE_AGE // 3600},
    )
