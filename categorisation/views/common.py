"""What every categorisation page shares: who is an officer, which schools are the person's own, the
sharing check for a school's protected data, and how a service's refusal lands on a form."""

from django.core.exceptions import PermissionDenied, ValidationError

from partnership.roles import is_la
from sharing import grants, rules
from sharing.services import log_data_view

from .. import selectors
from ..letters import can_read_letter
from ..runs import can_run_categorisation

PAGE_SIZE = 50


def is_officer(request) -> bool:
    return is_la(request.roles)


def own_school_ids(request) -> frozenset[int]:
    """The schools the person is headteacher or governor of."""
    return selectors.own_school_ids(request.memberships)


def require_full_access(request, school):
    """A school's categorisation is protected data: full access only (headline shows none of it)."""
    access = grants.access_for(request.user, school, explained=True)
    if not access.is_full:
        raise PermissionDenied(f"You cannot see {school.name}'s categorisation: {access.sentence}")
    return access


def letter_decision(request, school, access=None) -> tuple[bool, str]:
    """May the person download this school's letter (``letters.can_read_letter``)? The letter's download and
    every link to it ask this one question; ``access`` when the page already has the person's access."""
    if access is None:
        access = grants.access_for(request.user, school, explained=True)
    return can_read_letter(
        officer=is_officer(request),
        own_school=school.pk in own_school_ids(request),
        school_name=school.name,
        access=access,
    )


def letters_zip_decision(request, letters) -> tuple[bool, str]:
    """May the person download every letter given in one zip? Only the LA, with full access to every school
    whose letter it holds. The zip's download and the link to it ask this one question."""
    allowed, why = can_run_categorisation(request.roles)
    if not allowed:
        return allowed, why
    if not letters:
        return False, "There are no letters yet: they are written once the results are confirmed."
    full = grants.visible_school_ids(request.user, request.partnership, rules.FULL)
    refused = sorted(letter.result.school.name for letter in letters if letter.result.school_id not in full)
    if refused:
        return False, f"You do not have full access to every school's data: {', '.join(refused[:5])}."
    return True, "The LA downloads every letter of a run."


def log_view(request, school, what: str, access=None) -> None:
    """Log one view of a school's protected data for its data controller, with the rule that allowed it."""
    log_data_view(request.user, school, what, access=access)


def visible_ids(request) -> set[int] | None:
    """The schools whose protected data the person sees; None for officers, who see every school."""
    if is_officer(request):
        return None
    return grants.visible_school_ids(request.user, request.partnership, rules.FULL)


HELD_BACK_WORDS = (
    "its category puts it on the Schools Causing Concern register, which is confidential to the LA and the "
    "school until a formal warning notice is issued"
)


def require_category_shown(request, result) -> None:
    """A result whose category is held back from the person (``selectors.held_back``) is refused, saying why."""
    if is_officer(request):
        return
    if selectors.is_held_back(result, own=own_school_ids(request)):
        raise PermissionDenied(f"You cannot see {result.school.name}'s categorisation: {HELD_BACK_WORDS}.")


def run_visible_ids(request, run) -> set[int] | None:
    """The schools of a run the person sees: those at full access, less those whose category is held back
    from them like the register entry it causes (``selectors.held_back``); None for officers. A run members
    do not see (withdrawn, unfinished, provisional in a confirmed year) is refused, saying why."""
    school_ids = visible_ids(request)
    if school_ids is None:
        return None
    shown, why = selectors.run_shown_to_members(run)
    if not shown:
        raise PermissionDenied(why)
    return school_ids - selectors.held_back_school_ids(run, own=own_school_ids(request))


def form_errors(form, exc) -> None:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in exc.messages if isinstance(exc, ValidationError) else [str(exc)]:
            form.add_error(None, message)
