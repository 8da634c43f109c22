"""Who may record the inputs of the sharing rules: each check returns ``(allowed, reason)`` so a refusal says why.

Pages call these before they render, services again before they write.
"""

from django.db.models import Q

from partnership.models import Partnership
from partnership.roles import SCHOOL_ROLES, Decision, Role, is_la
from people.models import Membership
from sharing.models import MemorandumStatus


def _school_people(user, partnership: Partnership, school) -> set[str]:
    return {
        m.role
        for m in Membership.objects.for_partnership(partnership).active().filter(user=user, school=school)
        if m.role in SCHOOL_ROLES
    }


def is_data_controller(user, school) -> bool:
    return (
        user.is_authenticated
        and MemorandumStatus.objects.for_partnership(school.partnership)
        .filter(school=school, superseded_at__isnull=True, data_controller=user)
        .exists()
    )


def can_manage_sharing(user, roles, school) -> Decision:
    """Record a memorandum answer, start or end a support for the school, or see who sees it and the log."""
    if is_la(roles):
        return True, "LA officers manage data sharing for their partnership."
    if Role.HEAD in _school_people(user, school.partnership, school):
        return True, "The headteacher controls who sees the school's data (memorandum 3.3)."
    if is_data_controller(user, school):
        return True, "You are the named person who controls access to this school's data (memorandum 3.2)."
    return False, "Only an LA officer, the school's headteacher or its named data controller manage its sharing."


def schools_managed_by(user, roles, partnership: Partnership):
    """The partnership's schools whose sharing the person manages: can_manage_sharing allows each of them."""
    from schools.models import School

    schools = School.objects.for_partnership(partnership)
    if is_la(roles):
        return schools
    if not user.is_authenticated:
        return schools.none()
    headed = (
        Membership.objects.for_partnership(partnership).active().filter(user=user, role=Role.HEAD).values("school_id")
    )
    controlled = (
        MemorandumStatus.objects.for_partnership(partnership)
        .filter(superseded_at__isnull=True, data_controller=user)
        .values("school_id")
    )
    return schools.filter(Q(pk__in=headed) | Q(pk__in=controlled))


def can_view_sharing_overview(user, roles, partnership: Partnership) -> Decision:
    """The partnership's data sharing page: for the people who manage the sharing of at least one school."""
    if is_la(roles):
        return True, "LA officers manage data sharing for their partnership."
    if schools_managed_by(user, roles, partnership).exists():
        return True, "You manage the sharing of your school's data."
    return False, "Only LA officers, headteachers and a school's named data controller manage data sharing."


def can_change_sharing_policy(roles) -> Decision:
    if is_la(roles):
        return True, "LA officers keep the partnership's sharing policy."
    return False, "Only an LA officer changes the partnership's sharing policy."


def can_grant_partner_access(roles) -> Decision:
    if is_la(roles):
        return True, "LA officers record what the partnership shares with strategic partners."
    return False, "Only an LA officer records what strategic partners may see."


def can_record_register(roles) -> Decision:
    if is_la(roles):
        return True, "LA officers keep the Schools Causing Concern register."
    return False, "Only an LA officer keeps the Schools Causing Concern register."
