"""Role checks for pages and the API, each a pure function of the request's roles."""

from functools import wraps

from django.core.exceptions import PermissionDenied

from .roles import PLATFORM_ADMIN


def role_required(*roles: str):
    """A page for some roles only; another member is refused with the reason, an outsider never gets here."""
    allowed_roles = frozenset(roles) | {PLATFORM_ADMIN}

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not allowed_roles & request.roles:
                raise PermissionDenied("This page is not open to your role in this partnership.")
            return view(request, *args, **kwargs)

        wrapper.allowed_roles = allowed_roles
        return wrapper

    return decorator
