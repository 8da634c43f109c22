"""What a change to the sharing rules' inputs means for people, in the words a confirmation message shows.

Every sentence here is worked out after the change, by the rules the sharing pages read
(``rules.people_access``, which the school's sharing page lists as "Everyone who can see it", and
``rules.register_entry_viewers``, the set form of ``register_entries_visible_to``). Nothing is written
by hand about who sees what, so a message cannot say "its people see its data" while the school's page
says headline only.
"""

from collections import defaultdict

from django.contrib.auth import get_user_model

from partnership.roles import SCHOOL_ROLES
from people.models import Membership

from . import rules

NAMES_SHOWN = 8


def _person(user) -> str:
    return user.get_full_name() or user.username


def _join(words: list[str], *, limit: int = NAMES_SHOWN) -> str:
    if len(words) > limit:
        words = [*words[:limit], f"{len(words) - limit} more"]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"


def _because(access: rules.Access) -> str:
    return access.sentence.rstrip(". ")


def _people(user_ids) -> dict[int, str]:
    users = get_user_model().objects.filter(pk__in=set(user_ids)).only("username", "first_name", "last_name")
    return {user.pk: _person(user) for user in users}


def people_of_school(school) -> list[int]:
    """The school's own people: its headteachers' and governors' active memberships."""
    return list(
        Membership.objects.for_partnership(school.partnership)
        .active()
        .filter(school=school, role__in=SCHOOL_ROLES)
        .values_list("user_id", flat=True)
        .distinct()
    )


def what_people_see(school, user_ids, *, whose: str) -> str:
    """What these people now see of one school, grouped by answer: "Ann Lee and Raj Shah, headline only
    (because: ...)". ``whose`` names them when there are none ("Nobody at Alpha School has an account yet")."""
    user_ids = list(user_ids)
    if not user_ids:
        return f"{whose} has no one with an account yet, so nobody sees {school.name}'s data through it."
    answers = rules.people_access(school.partnership, school_ids=[school.pk], user_ids=user_ids)
    names = _people(user_ids)
    groups: dict[rules.Access, list[str]] = defaultdict(list)
    for user_id in user_ids:
        groups[answers.get((user_id, school.pk), rules.NO_ACCESS)].append(names.get(user_id, ""))
    parts = [
        f"{_join(sorted(people))}, {access.label.lower()} (because: {_because(access)})"
        for access, people in sorted(groups.items(), key=lambda item: -rules.RANK[item[0].level])
    ]
    return f"What they see of {school.name} now: {'; '.join(parts)}."


def support_outcome(support) -> str:
    """After a support starts or ends: what the supporting school's people see of the supported school."""
    return what_people_see(support.supported, people_of_school(support.supporter), whose=support.supporter.name)


def partner_outcome(membership, schools) -> str:
    """After a grant or its end: what the strategic partner sees of each of the schools."""
    schools = sorted(schools, key=lambda school: school.name)
    partner = _person(membership.user)
    if not schools:
        return ""
    answers = rules.people_access(
        membership.partnership, school_ids=[s.pk for s in schools], user_ids=[membership.user_id]
    )
    full, other = [], []
    for school in schools:
        access = answers.get((membership.user_id, school.pk), rules.NO_ACCESS)
        if access.is_full:
            full.append(school.name)
        else:
            other.append(f"{access.label.lower()} of {school.name} (because: {_because(access)})")
    parts = ([f"full data of {_join(full)}"] if full else []) + other
    return f"What {partner} sees now: {'; '.join(parts)}."


def memorandum_outcome(school) -> str:
    """After a memorandum answer: who sees the school's data in full now, and that the rest see its headline."""
    answers = rules.people_access(school.partnership, school_ids=[school.pk])
    full = [user_id for (user_id, _), access in answers.items() if access.is_full]
    headline = len(answers) - len(full)
    names = sorted(_people(full).values())
    seen = f"{len(full)} {'person sees' if len(full) == 1 else 'people see'} {school.name}'s data in full now"
    others = "1 other member sees" if headline == 1 else f"{headline} other members see"
    rest = f"; {others} its headline only" if headline else ""
    return f"{seen}: {_join(names)}{rest}." if names else f"Nobody sees {school.name}'s data in full now{rest}."


def register_outcome(entry) -> str:
    """After a register entry or its notice: who sees the entry now."""
    viewers = sorted(_people(rules.register_entry_viewers(entry)).values())
    if entry.is_confidential:
        lead = "The entry is confidential to the LA and the school until a formal warning notice is issued"
    else:
        lead = f"Everyone who sees {entry.school.name}'s data in full sees the entry"
    count = "1 person sees" if len(viewers) == 1 else f"{len(viewers)} people see"
    return f"{lead}: {count} it now ({_join(viewers)})." if viewers else f"{lead}: nobody sees it yet."
