"""Pages of the tenant itself: the audit trail, and the error pages every app shares."""

from django.core.paginator import Paginator
from django.shortcuts import render

from . import selectors
from .permissions import rule_required
from .roles import can_read_audit


@rule_required(can_read_audit)
def audit_list(request, partnership_slug):
    page = Paginator(selectors.audit_list(request.partnership).select_related("actor"), 50).get_page(
        request.GET.get("page")
    )
    return render(request, "partnership/audit_list.html", {"page": page})


def permission_denied(request, exception=None):
    reason = str(exception) if exception and str(exception) else "You do not have access to this page."
    return render(request, "403.html", {"reason": reason}, status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)
