"""Pages of the tenant itself: the audit trail, the service's own pages (help, privacy, accessibility,
cookies) with what each partnership adds to them, and the error pages every app shares."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse

from . import selectors, services
from .forms import AuditFilterForm, ServicePagesForm, form_errors
from .models import SERVICE_PAGE_FIELDS
from .permissions import rule_required
from .roles import can_edit_service_pages, can_read_audit

AUDIT_PAGE_SIZE = 50


@rule_required(can_read_audit)
def audit_list(request, partnership_slug):
    form = AuditFilterForm(
        request.GET if set(request.GET) - {"page"} else None,
        choices=selectors.audit_filter_choices(request.partnership),
    )
    filters = form.filters()
    page = Paginator(selectors.audit_list(request.partnership, **filters), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    kept = {name: request.GET[name] for name in form.fields if request.GET.get(name)}
    return render(
        request,
        "partnership/audit_list.html",
        {
            "page": page,
            "form": form,
            "filtered": bool(filters),
            "extra_query": (urlencode(kept) + "&") if kept else "",
        },
    )


SERVICE_PAGES = {
    "help": "Help and contact",
    "privacy": "Privacy notice",
    "accessibility": "Accessibility statement",
    "cookies": "Cookies",
}


def _cookies() -> list[dict]:
    """The cookies the service sets, from the settings that set them: it sets no others."""
    session_hours = settings.SESSION_COOKIE_AGE // 3600
    csrf_days = (settings.CSRF_COOKIE_AGE or 0) // 86400
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": "Keeps you signed in.",
            "expires": (
                f"When you close your browser, or after {session_hours} hours without using the service"
                if settings.SESSION_EXPIRE_AT_BROWSER_CLOSE
                else f"After {session_hours} hours without using the service"
            ),
        },
        {
            "name": settings.CSRF_COOKIE_NAME,
            "purpose": "Checks that a form you send came from this service, not from another website.",
            "expires": f"After {csrf_days} days" if csrf_days else "When you close your browser",
        },
        {
            "name": "messages",
            "purpose": "Carries a confirmation, such as \u201cInvitation sent\u201d, to the next page you see.",
            "expires": "When you close your browser (and as soon as the message is shown)",
        },
    ]


def service_page(request, page: str, partnership_slug: str | None = None):
    """The service's own pages. Opened within a partnership (/p/<slug>/help/ ...) they add what that
    partnership says (its contact details, data controller, paragraphs of its own); outside one they
    say how to find it."""
    if page not in SERVICE_PAGES:
        raise Http404
    partnership = request.partnership if partnership_slug else None
    return render(
        request,
        f"pages/{page}.html",
        {
            "page_title": SERVICE_PAGES[page],
            "service_partnership": partnership,
            "can_edit_pages": partnership is not None and can_edit_service_pages(request.roles)[0],
            "cookies": _cookies() if page == "cookies" else [],
            "session_hours": settings.SESSION_COOKIE_AGE // 3600,
            "lockout_failures": getattr(settings, "AXES_FAILURE_LIMIT", 5),
        },
    )


@rule_required(can_edit_service_pages)
def service_pages_edit(request, partnership_slug):
    partnership = request.partnership
    form = ServicePagesForm(request.POST or None, instance=partnership)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in SERVICE_PAGE_FIELDS}
        try:
            changed = services.partnership_pages_edit(
                actor=request.user, partnership=partnership, values=values, reason=form.cleaned_data["reason"]
            )
        except (ValidationError, PermissionDenied) as exc:
            form_errors(form, exc)
        else:
            if changed:
                labels = [str(partnership._meta.get_field(name).verbose_name) for name in changed]
                messages.success(request, f"Saved. Changed: {', '.join(labels)}. The pages show it now.")
            else:
                messages.info(request, "Nothing changed, so nothing was saved.")
            return redirect(reverse("service_pages_edit", args=[partnership.slug]))
    return render(request, "partnership/service_pages_edit.html", {"form": form})


def permission_denied(request, exception=None):
    reason = str(exception) if exception and str(exception) else "You do not have access to this page."
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
