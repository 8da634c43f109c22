"""Writes for the tenant itself. Each takes a keyword-only actor and audits itself."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from .actors import SystemActor, actor_roles
from .audit import audit_record, snapshot
from .models import SERVICE_PAGE_FIELDS, Partnership
from .permissions import require
from .roles import can_edit_service_pages

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


@transaction.atomic
def partnership_pages_edit(*, actor, partnership: Partnership, values: dict[str, str], reason: str = "") -> list[str]:
    """Change what the service's pages say for the partnership (its contact details, data controller and
    the paragraphs it adds). Only the fields of ``SERVICE_PAGE_FIELDS`` may be given. Returns the names of
    the fields that changed; nothing changed writes nothing, not even an audit row."""
    require(can_edit_service_pages(actor_roles(actor, partnership)))
    unknown = sorted(set(values) - set(SERVICE_PAGE_FIELDS))
    if unknown:
        raise ValueError(f"Not a field of the service pages: {', '.join(unknown)}.")
    partnership = Partnership.objects.select_for_update().get(pk=partnership.pk)
    cleaned = {name: (value or "").strip() for name, value in values.items()}
    changed = [name for name, value in cleaned.items() if getattr(partnership, name) != value]
    if not changed:
        return []
    before = snapshot(partnership, changed)
    for name in changed:
        setattr(partnership, name, cleaned[name])
    partnership.full_clean()
    partnership.save(update_fields=changed)
    audit_record(
        actor=actor,
        partnership=partnership,
        obj=partnership,
        action="partnership.pages_edit",
        before=before,
        after=snapshot(partnership, changed),
        reason=reason,
    )
    return changed
