"""The one permission path. Each rule is a pure function returning ``(allowed, reason)``, kept in its
app beside what it guards (``partnership.roles`` for the LA's own, ``sharing.permissions``,
``categorisation.runs``...). Pages name their rule with ``rule_required``; a page that guards one object
calls ``require`` once it has the object; the API's one permission class is
``people.permissions.PartnershipMember``; services call ``require`` with the same rule before they
write. A refusal is a 403 that says why.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from .roles import Decision


def require(decision: Decision) -> None:
    """Go on if the rule allows it; otherwise refuse with its reason."""
    allowed, reason = decision
    if not allowed:
        raise PermissionDenied(reason)


def rule_required(rule):
    """A page open to those the rule allows, given the request's roles in the partnership; anyone else is
    refused with the rule's reason (an outsider never gets here: the membership check answers 404)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            require(rule(request.roles))
            return view(request, *args, **kwargs)

        wrapper.rule = rule
        return wrapper

    return decorator
