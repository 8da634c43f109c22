"""Entering a partnership's scope (django-scopes) outside a request: in tasks and commands.

Pages and the API are scoped by the people middleware. Everything else that reads tenant data names the
partnership it works for, here, before its first query; reading across partnerships is written out as
``django_scopes.scopes_disabled()`` where it is meant.
"""

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import models
from django_scopes import scope, scopes_disabled

from .models import Partnership


@contextmanager
def partnership_scope(partnership: Partnership | int) -> Iterator[Partnership]:
    """Work within one partnership: its rows only. Takes the partnership or its primary key."""
    if not isinstance(partnership, Partnership):
        partnership = Partnership.objects.get(pk=partnership)
    with scope(partnership=partnership):
        yield partnership


def partnership_id_of(model: type[models.Model], **lookup) -> int | None:
    """The partnership a tenant-owned row belongs to, found before any scope is entered (a task that is
    given a row's id learns its partnership this way, then works within it). None if there is no row."""
    with scopes_disabled():
        return model.objects.filter(**lookup).values_list("partnership_id", flat=True).first()


@contextmanager
def scope_of(model: type[models.Model], **lookup) -> Iterator[Partnership | None]:
    """Work within the partnership of one tenant-owned row; yields None (no scope) when the row is gone."""
    partnership_id = partnership_id_of(model, **lookup)
    if partnership_id is None:
        with scope(partnership=[]):
            yield None
        return
    with partnership_scope(partnership_id) as partnership:
        yield partnership
