"""Sign-in throttling that holds under concurrency.

django-axes records failures after a password has been checked, so a burst of simultaneous attempts
all pass its check before any failure is written. This backend counts a check before making it: it
locks the counter row for the username and address (SELECT ... FOR UPDATE on PostgreSQL; on SQLite the
IMMEDIATE transaction holds the write lock), refuses once the limit is reached, and only then checks
the password. A successful sign-in clears the count, as axes clears its own.
"""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import SignInCounter


def _address(request) -> str:
    address = getattr(request, "axes_ip_address", None)
    if address is None and request is not None:
        from axes.helpers import get_client_ip_address

        address = get_client_ip_address(request)
    return address or ""


def signin_check_reserve(*, username: str, ip_address: str) -> bool:
    """Count one password check for this username and address; False, counting nothing, once the
    limit is reached within the cool-off."""
    now = timezone.now()
    limit = settings.AXES_FAILURE_LIMIT
    with transaction.atomic():
        counter = SignInCounter.objects.select_for_update().filter(username=username, ip_address=ip_address).first()
        if counter is None:
            try:
                with transaction.atomic():
                    SignInCounter.objects.create(username=username, ip_address=ip_address, checks=1, last_check_at=now)
                return True
            except IntegrityError:  # another attempt created it first: count against that row
                counter = SignInCounter.objects.select_for_update().get(username=username, ip_address=ip_address)
        if now - counter.last_check_at >= settings.AXES_COOLOFF_TIME:
            counter.checks = 0
        if counter.checks >= limit:
            return False
        counter.checks += 1
        counter.last_check_at = now
        counter.save(update_fields=["checks", "last_check_at"])
        return True


def signin_checks_clear(*, username: str, ip_address: str) -> None:
    SignInCounter.objects.filter(username=username, ip_address=ip_address).delete()


class ThrottledModelBackend(ModelBackend):
    """Django's username-and-password backend, with each password check counted first."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(self._username_field())
        if username is None or password is None:
            return None
        address = _address(request)
        if not signin_check_reserve(username=str(username), ip_address=address):
            if request is not None:
                request.axes_locked_out = True  # answered with the lockout page, as axes answers
            raise PermissionDenied("Too many sign-in attempts for this username.")
        user = super().authenticate(request, username=username, password=password, **kwargs)
        if user is not None and settings.AXES_RESET_ON_SUCCESS:
            signin_checks_clear(username=str(username), ip_address=address)
        return user

    @staticmethod
    def _username_field() -> str:
        from django.contrib.auth import get_user_model

        return get_user_model().USERNAME_FIELD
