"""Pages of the tenant itself: the audit trail, and the error pages every app shares."""

from urllib.parse import urlencode

from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors
from .forms import AuditFilterForm
from .permissions import rule_required
from .roles import can_read_audit

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


def permission_denied(request, exception=None):
    reason = str(exception) if exception and str(exception) else "You do not have access to this page."
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
