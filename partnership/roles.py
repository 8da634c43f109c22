"""The roles of a partnership and the pure rules about who may grant what.

Permission checks return ``(allowed, reason)`` so that a refusal can always say why.
"""

from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "LA officer"
    BOARD = "board", "Board member"
    CLUSTER_LEAD = "clusterlead", "Cluster lead"
    CLUSTER_OFFICER = "clusterofficer", "Cluster officer"
    HEAD = "head", "Headteacher"
    GOVERNOR = "governor", "Governor"
    PARTNER = "partner", "Strategic partner"


PLATFORM_ADMIN = "admin"
# The platform's own work (beat jobs, the command line): partnership.actors.SystemActor holds it.
SYSTEM = "system"

SCHOOL_ROLES = frozenset({Role.HEAD, Role.GOVERNOR})
CLUSTER_ROLES = frozenset({Role.CLUSTER_LEAD, Role.CLUSTER_OFFICER})
# Who acts for the LA: its officers, a platform admin, and the platform's own system work.
LA_ROLES = frozenset({Role.OFFICER, PLATFORM_ADMIN, SYSTEM})

Decision = tuple[bool, str]


def is_la(roles) -> bool:
    """The officer check, written once: an LA officer of the partnership, a platform admin, or system work."""
    return bool(LA_ROLES & set(roles))


def officers_only(roles, doing: str) -> Decision:
    """A rule for what only the LA does: ``doing`` says it, as in "manage the partnership's people"."""
    if is_la(roles):
        return True, f"LA officers {doing}."
    return False, f"Only an LA officer of this partnership can {doing}."


def can_manage_people(roles) -> Decision:
    return officers_only(roles, "manage the partnership's people")


def can_read_audit(roles) -> Decision:
    return officers_only(roles, "read the partnership's audit trail")


def can_edit_service_pages(roles) -> Decision:
    return officers_only(roles, "change what the help, privacy and accessibility pages say for the partnership")


def can_grant(actor_roles, role: str) -> Decision:
    """Nobody grants a role above their own: only the LA manages people, and an LA officer is the highest
    role a partnership has (platform admins are not a role a partnership grants)."""
    allowed, reason = can_manage_people(actor_roles)
    if not allowed:
        return allowed, reason
    if role not in Role.values:
        return False, f"{role!r} is not a role of a partnership."
    return True, f"LA officers may give any role, up to their own: {Role(role).label}."


def can_change(actor_roles, current_role: str, new_role: str | None = None) -> Decision:
    """May the actor change (or, with no new role, end) a membership that holds current_role?"""
    if new_role is not None:
        return can_grant(actor_roles, new_role)
    return can_manage_people(actor_roles)
