"""What every categorisation page shares: who is an officer, which schools are the person's own, the
sharing check for a school's protected data, and how a service's refusal lands on a form."""

from django.core.exceptions import PermissionDenied, ValidationError

from partnership.roles import SCHOOL_ROLES, is_la
from sharing import grants, rules
from sharing.services import log_data_view

PAGE_SIZE = 50


def is_officer(request) -> bool:
    return is_la(request.roles)


def own_school_ids(request) -> set[int]:
    return {m.school_id for m in request.memberships if m.role in SCHOOL_ROLES and m.school_id}


def require_full_access(request, school):
    """A school's categorisation is protected data: full access only (headline shows none of it)."""
    access = grants.access_for(request.user, school, explained=True)
    if not access.is_full:
        raise PermissionDenied(f"You cannot see {school.name}'s categorisation: {access.sentence}")
    return access


def log_view(request, school, what: str, access=None) -> None:
    """Log one view of a school's protected data for its data controller, with the rule that allowed it."""
    log_data_view(request.user, school, what, access=access)


def visible_ids(request) -> set[int] | None:
    """The schools whose protected data the person sees; None for officers, who see every school."""
    if is_officer(request):
        return None
    return grants.visible_school_ids(request.user, request.partnership, rules.FULL)


def form_errors(form, exc) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
            form.add_error(None, message)
