"""Who does a thing: a signed-in person, or the platform's own system work, named.

Every service takes a keyword-only ``actor`` and checks it against its rule; none skips its check for a
missing actor. System work (beat jobs, the command line, the demo loader) runs as a ``SystemActor``
that says what it is, and the audit trail names it ("system: nightly end of expired supports").

``actor_roles`` is the one answer to "what roles does this actor hold in this partnership". Roles come
from memberships, which the people app keeps above this layer; it supplies the lookup when it starts
(people/apps.py), so that every app's services can ask without importing it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from .models import Partnership
from .roles import PLATFORM_ADMIN, SYSTEM


@dataclass(frozen=True)
class SystemActor:
    """The platform's own work, not a person: holds the system role and is named in the audit."""

    what: str

    pk = None
    is_authenticated = False
    is_superuser = False
    is_active = False

    @property
    def username(self) -> str:
        return f"system: {self.what}"

    def __str__(self) -> str:
        return self.username


def system_actor(what: str) -> SystemActor:
    """The actor for system work; ``what`` names it in the audit: "nightly end of expired supports"."""
    if not what.strip():
        raise ValueError("Say what the system work is: the audit names it.")
    return SystemActor(what=what.strip())


_roles_of: Callable[[object, Partnership], set[str]] | None = None


def register_roles_lookup(lookup: Callable[[object, Partnership], set[str]]) -> None:
    """The people app gives the lookup of a person's roles from their memberships (people/apps.py)."""
    global _roles_of
    _roles_of = lookup


def actor_roles(actor, partnership: Partnership) -> frozenset[str]:
    """The actor's roles in the partnership: the system role for system work, none for nobody."""
    if isinstance(actor, SystemActor):
        return frozenset({SYSTEM})
    if actor is None or not getattr(actor, "is_authenticated", False):
        return frozenset()
    if _roles_of is None:
        raise RuntimeError("No roles lookup: the people app is not installed.")
    roles = set(_roles_of(actor, partnership))
    if actor.is_superuser:
        roles.add(PLATFORM_ADMIN)
    return frozenset(roles)


def person(actor):
    """The user to store in a ``created_by`` or ``started_by`` column: None for system work."""
    return actor if actor is not None and getattr(actor, "pk", None) else None
