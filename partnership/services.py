"""Writes for the tenant itself. Each takes a keyword-only actor and audits itself."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .actors import SystemActor
from .audit import audit_record, snapshot
from .models import Partnership

PARTNERSHIP_FIELDS = ("name", "slug", "la_codes", "academic_year_start_month", "current_academic_year")


@transaction.atomic
def partnership_create(
    *, actor, slug: str, name: str, la_codes: list[str], current_academic_year: str = "2022-23"
) -> Partnership:
    if not (isinstance(actor, SystemActor) or getattr(actor, "is_superuser", False)):
        raise PermissionDenied("Only a platform admin (or the partnership_create command) can create a partnership.")
    partnership = Partnership(
        slug=slug, name=name, la_codes=[str(c) for c in la_codes], current_academic_year=current_academic_year
    )
    partnership.full_clean()
    partnership.save()
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=partnership,
        action="partnership.create",
        after=snapshot(partnership, PARTNERSHIP_FIELDS),
    )
    return partnership
