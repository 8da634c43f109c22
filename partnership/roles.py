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

# Higher ranks may grant every role at or below their own, never above.
RANK = {
    PLATFORM_ADMIN: 100,
    Role.OFFICER: 70,
    Role.BOARD: 60,
    Role.CLUSTER_LEAD: 50,
    Role.CLUSTER_OFFICER: 40,
    Role.HEAD: 30,
    Role.GOVERNOR: 20,
    Role.PARTNER: 10,
}

SCHOOL_ROLES = frozenset({Role.HEAD, Role.GOVERNOR})
CLUSTER_ROLES = frozenset({Role.CLUSTER_LEAD, Role.CLUSTER_OFFICER})
PEOPLE_MANAGERS = frozenset({PLATFORM_ADMIN, Role.OFFICER})

Decision = tuple[bool, str]


def highest_rank(roles) -> int:
    return max((RANK[r] for r in roles), default=0)


def can_manage_people(roles) -> Decision:
    if PEOPLE_MANAGERS & set(roles):
        return True, "LA officers manage their partnership's people."
    return False, "Only an LA officer of this partnership can manage its people."


def can_grant(actor_roles, role: str) -> Decision:
    allowed, reason = can_manage_people(actor_roles)
    if not allowed:
        return allowed, reason
    if RANK[role] > highest_rank(actor_roles):
        return False, f"You cannot grant the role {Role(role).label}: it is above your own."
    return True, "The role is at or below your own."


def can_change(actor_roles, current_role: str, new_role: str | None = None) -> Decision:
    """May the actor change (or, with no new role, end) a membership that holds current_role?"""
    allowed, reason = can_manage_people(actor_roles)
    if not allowed:
        return allowed, reason
    if RANK[current_role] > highest_rank(actor_roles):
        return False, f"You cannot change a {Role(current_role).label}: the role is above your own."
    if new_role is not None:
        return can_grant(actor_roles, new_role)
    return True, "The role is at or below your own."
