"""The answer every exit reads: may this person see this school's protected data, and by which rule.

The sharing rules (``sharing.rules``) decide and explain; their answer is stored as django-guardian
object permissions on schools (``SchoolUserObjectPermission``, with the rule and its sentence), written
by ``sharing.services.sharing_recompute`` in the same transaction as the change that causes it and checked
against the rules every night. Pages, exports, the API, PDFs and counts read the grants here, in one
query for one school and two for a whole partnership, instead of working the rules out again; the rules
answer "why not" on the sharing pages.

Every active member of a partnership sees every school's headline data (the public dashboard is
public); the grants are for ``full`` access only. Platform admins (superusers) see every school in full
and hold no rows.
"""

from django.db.models import Exists, OuterRef, Subquery

from partnership.models import Partnership
from partnership.roles import Role
from people.models import Membership
from schools.models import School

from .models import SchoolUserObjectPermission
from .rules import ADMIN, DATA_PERMISSION, FULL, HEADLINE, NO_ACCESS, PUBLIC, Access

LA_OFFICER = Access(FULL, "la-officer", "LA officers see every school of their partnership.")


def headline_only(school_name: str) -> Access:
    return Access(
        HEADLINE,
        "headline-only",
        f"{school_name} shares its headline data with you, not its protected data: its data sharing page says why.",
    )


def _granted(rule: str, sentence: str) -> Access:
    return Access(FULL, rule or "granted", sentence or "The sharing rules give you the school's data.")


def _annotated(user, schools):
    """Schools with the person's grant (rule and sentence, or null) and whether they are a member."""
    grant = SchoolUserObjectPermission.objects.filter(
        user=user, content_object=OuterRef("pk"), permission__codename=DATA_PERMISSION
    )
    member = Membership.objects.active().filter(user=user, partnership=OuterRef("partnership"))
    return schools.annotate(
        grant_rule=Subquery(grant.values("rule")[:1]),
        grant_sentence=Subquery(grant.values("sentence")[:1]),
        member=Exists(member),
        officer=Exists(member.filter(role=Role.OFFICER)),
    ).values_list("pk", "name", "grant_rule", "grant_sentence", "member", "officer")


def _access(name, rule, sentence, member, officer) -> Access:
    if officer:  # the first rule, read with the grants: a school added a moment ago is the LA's at once
        return LA_OFFICER
    if rule is not None:
        return _granted(rule, sentence)
    return headline_only(name) if member else NO_ACCESS


def access_for(user, school, *, explained: bool = False) -> Access:
    """One person's access to one school, with the rule: one query.

    ``explained``: a page that refuses this one school its protected data says why in the rules' own
    words (its memorandum status, an ended support...), worked out only then; the level stays the grants'.
    """
    if not user.is_authenticated:
        return PUBLIC
    if user.is_superuser:
        return ADMIN
    row = _annotated(user, School.objects.filter(pk=school.pk)).first()
    access = _access(*row[1:]) if row else NO_ACCESS
    if explained and access.level == HEADLINE:
        from .rules import access_for as rules_answer

        why = rules_answer(user, school)
        return Access(HEADLINE, why.rule, why.sentence) if why.level == HEADLINE else access
    return access


def accesses_for(user, partnership: Partnership) -> dict[int, Access]:
    """The person's access to every school of the partnership they may see at all, with the rule: one
    query. A school missing from the answer is one they may not see (``NO_ACCESS``)."""
    if not user.is_authenticated:
        return {}
    schools = School.objects.for_partnership(partnership)
    if user.is_superuser:
        return dict.fromkeys(schools.values_list("pk", flat=True), ADMIN)
    answer = {}
    for pk, *row in _annotated(user, schools.order_by()):
        access = _access(*row)
        if access.at_least_headline:
            answer[pk] = access
    return answer


def visible_school_ids(user, partnership: Partnership, level: str = FULL) -> set[int]:
    """The ids of the partnership's schools the person sees at least at ``level``: filter lists, counts,
    charts, exports and autocompletes with it, so that a hidden school leaks through no total."""
    schools = School.objects.for_partnership(partnership)
    if not user.is_authenticated:
        return set(schools.values_list("pk", flat=True)) if level == HEADLINE else set()
    if user.is_superuser:
        return set(schools.values_list("pk", flat=True))
    memberships = Membership.objects.for_partnership(partnership).active().filter(user=user)
    if level == FULL and not memberships.filter(role=Role.OFFICER).exists():
        return set(
            SchoolUserObjectPermission.objects.filter(
                user=user, permission__codename=DATA_PERMISSION, content_object__partnership=partnership
            ).values_list("content_object_id", flat=True)
        )
    if memberships.exists():
        return set(schools.values_list("pk", flat=True))
    return set()


def full_ids(accesses: dict[int, Access]) -> set[int]:
    """The schools, of an ``accesses_for`` answer, whose protected data the person may see."""
    return {school_id for school_id, access in accesses.items() if access.is_full}
