"""Who may see a school's data, and why: the one rules module for pages, the API, exports and commands.

Two levels of access to a school, besides none:

* ``headline``: the school's public facts and the partnership's headline summary: what the public
  dashboard shows (DfE performance tables, Ofsted judgements). Because the public dashboard is public
  (DOMAIN data sharing 7), every active member of the partnership has it for every school of the
  partnership, and anonymous visitors have it through the public dashboard. This is not a policy
  choice: a member can never be shown less than the public.
* ``full``: the school's protected data: the LA's local data, self-evaluation, categorisation,
  visit notes, evaluative information (memorandum 3.1 "data and evaluative information").

The sources leave some choices open, and partnerships make them differently. Those places are marked
**(interpretation)** below; each is a field of the partnership's **sharing policy**
(``models.SharingPolicy``), data the LA officers edit at ``/p/<slug>/sharing/policy/``. The policy is
versioned: a change adds a row with who, when and why, the latest version applies, and older ones stay
readable; a partnership that never changed it has the defaults (version 0), which are the behaviour
described here. A change queues a full recompute of the guardian grants. The ``because`` sentence of
an interpreted rule names the policy version it came from.

The rules, first match wins (the ``because`` of an access names the rule and says it in a sentence):

``platform-admin``  a superuser: full on every school (runs the platform).
``la-officer``      an LA officer of the partnership: full on every school of it (memorandum 3.5: the
                    LA holds a data set on every member, signed or not).
``own-school``      the people *of* a school, its headteacher and governor memberships: full on their
                    own school whatever its memorandum status (3.5: a member that declines still gets
                    the LA's data set about itself).
``memorandum``      the people of a school that shares: full on every other school that shares (3.1).
``support``         the people of school A while A supports school B (today within starts_on..ends_on
                    and not ended): full on B, historical and ongoing data (3.3). B must not have
                    declined or withdrawn, and A must not have declined or withdrawn either (3.5: a
                    refusing member sees no other member's data). **(interpretation)**
                    ``support_to_undecided`` (default on): B need not have answered the memorandum,
                    its head's grant being its consent; when off, a support opens only a school that
                    shares, and ``services.support_start`` refuses a support for an undecided school.
``partner-grant``   a strategic partner: what the partnership granted it, school by school (3.7).
``board``           **(interpretation)** ``board_sees_signed`` (default on): a board member has full on
                    every school that shares, because the board decides bids and evaluates impact on
                    the shared data. When off, board members have the headline only.
``cluster-lead``    **(interpretation)** ``cluster_lead_sees_cluster`` (default on): a cluster lead has
                    full on the schools of their cluster that share, to endorse the cluster's bids.
``cluster-officer`` **(interpretation)** ``cluster_officer_sees_cluster`` (default on): a cluster
                    officer has full on the schools of their cluster that share. A cluster officer may
                    be an SEO or an outside consultant; the platform cannot tell which, so it is never
                    treated as LA staff. For both cluster rules, **(interpretation)**
                    ``cluster_includes_associates`` (default on): a cluster's schools are its full and
                    its associate members; when off, its full members only.
``member-headline`` every other active member of the partnership: headline on every school.

"A school that shares" means its current memorandum status is *signed*. Whatever the rule, a school
that does not share (declined, withdrawn or not yet recorded) shares its data with nobody but the LA
(and platform admins) and its own people, except through a support its head granted while it is
undecided (3.5; rule ``not-shared`` caps the others at headline and says why).
**(interpretation)** ``unrecorded_is_not_sharing`` (default on): a school with no recorded answer yet
is treated like one that has not agreed to share; when off (an opt-out partnership), it counts as
sharing until it declines, and the ``because`` says so.

Nothing crosses partnerships: only memberships of the partnership count, so a person of another
partnership has no access (level ``none``) unless they are a platform admin.

The Schools Causing Concern register (Calderdale): an entry for any reason but an Ofsted judgement
(another concern, or a confirmed categorisation), with no formal warning notice yet, is visible only to
the LA and the people of that school; every other entry is visible to whoever has full access to the
school. List and count entries only through ``register_entries_visible_to``.

Who may record the inputs (``sharing/permissions.py``, re-exported here): ``can_manage_sharing`` (a
school's memorandum answer and its supports: LA officers, its headteacher, its named data controller),
``can_grant_partner_access``, ``can_record_register`` and ``can_change_sharing_policy`` (LA officers).
The reads the sharing pages show, and the current policy, are in ``sharing/reads.py``.

Everything is computed from a few bulk reads per call, whatever the number of schools: see
``_Inputs.load`` (the policy is one of them). The guardian rows written by
``services.sharing_recompute`` are a materialised copy of the ``full`` answers, for other tools; pages,
the API and exports ask this module directly, so a change is never waiting on a task to take effect.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils import timezone

from partnership.models import Partnership
from partnership.roles import SCHOOL_ROLES, Decision, Role
from people.models import Membership
from sharing.models import (
    ConcernRegisterEntry,
    MemorandumStatus,
    SchoolUserObjectPermission,
    SharingPolicy,
    StrategicPartnerGrant,
    SupportRelationship,
)
from sharing.permissions import (
    can_change_sharing_policy,
    can_grant_partner_access,
    can_manage_sharing,
    can_record_register,
    can_view_sharing_overview,
    is_data_controller,
    schools_managed_by,
)
from sharing.reads import (
    access_log_for_school,
    current_sharing_policy,
    memorandum_history,
    partner_grants_of_school,
    sharing_policy_history,
    supports_of_school,
)

FULL = "full"
HEADLINE = "headline"
NONE = "none"
RANK = {NONE: 0, HEADLINE: 1, FULL: 2}
LEVEL_LABELS = {NONE: "Nothing", HEADLINE: "Headline only", FULL: "Full data"}

DATA_PERMISSION = "view_school_data"
HEADLINE_PERMISSION = "view_school_headline"
PERMISSION_NAMES = {
    DATA_PERMISSION: "Can view the school's protected data",
    HEADLINE_PERMISSION: "Can view the school's headline data",
}


@dataclass(frozen=True)
class Access:
    level: str
    rule: str
    sentence: str

    @property
    def because(self) -> str:
        return f"{self.rule}: {self.sentence}"

    @property
    def is_full(self) -> bool:
        return self.level == FULL

    @property
    def at_least_headline(self) -> bool:
        return RANK[self.level] >= RANK[HEADLINE]

    @property
    def label(self) -> str:
        """The level in words, as the sharing page's table and the confirmation messages show it."""
        return LEVEL_LABELS[self.level]


NO_ACCESS = Access(NONE, "not-a-member", "You are not a member of this partnership.")
PUBLIC = Access(HEADLINE, "public-dashboard", "The headline dashboard is public.")
ADMIN = Access(FULL, "platform-admin", "Platform admins run the service and see every school.")


def sharing_permission(codename: str) -> Permission:
    """The guardian permission on schools, made if a database missed the data migration."""
    content_type = ContentType.objects.get_by_natural_key("schools", "school")
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": PERMISSION_NAMES[codename]}
    )
    return permission


@dataclass
class _Inputs:
    """The bulk reads the rules need, loaded once per call in a fixed number of queries."""

    partnership: Partnership
    today: date
    policy: SharingPolicy = None  # type: ignore[assignment]  # set by load()
    schools: dict[int, tuple[str, str]] = field(default_factory=dict)  # id -> (urn, name)
    status: dict[int, str] = field(default_factory=dict)  # school id -> current memorandum status
    memberships: list[tuple[int, str, int | None, int | None, int]] = field(default_factory=list)
    usernames: dict[int, str] = field(default_factory=dict)
    superusers: dict[int, str] = field(default_factory=dict)
    cluster_schools: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    supports: dict[int, list[tuple[int, str, date | None]]] = field(default_factory=lambda: defaultdict(list))
    grants: dict[int, dict[int, str]] = field(default_factory=lambda: defaultdict(dict))  # membership -> school

    @classmethod
    def load(cls, partnership: Partnership, *, user=None, today: date | None = None) -> _Inputs:
        from schools.models import ClusterMembership, School

        inputs = cls(partnership=partnership, today=today or timezone.localdate())
        inputs.policy = current_sharing_policy(partnership)
        policy = inputs.policy
        inputs.schools = {
            pk: (urn, name)
            for pk, urn, name in School.objects.for_partnership(partnership).values_list("pk", "urn", "name")
        }
        inputs.status = dict(
            MemorandumStatus.objects.for_partnership(partnership)
            .filter(superseded_at__isnull=True)
            .values_list("school_id", "status")
        )
        memberships = Membership.objects.for_partnership(partnership).active()
        if user is not None:
            memberships = memberships.filter(user=user)
        for pk, user_id, username, role, school_id, cluster_id in memberships.values_list(
            "pk", "user_id", "user__username", "role", "school_id", "cluster_id"
        ):
            inputs.memberships.append((user_id, role, school_id, cluster_id, pk))
            inputs.usernames[user_id] = username
        if user is None:
            User = get_user_model()
            inputs.superusers = dict(
                User.objects.filter(is_superuser=True, is_active=True).values_list("pk", "username")
            )
        cluster_roles = {Role.CLUSTER_LEAD} if policy.cluster_lead_sees_cluster else set()
        if policy.cluster_officer_sees_cluster:
            cluster_roles.add(Role.CLUSTER_OFFICER)
        if any(role in cluster_roles for _, role, _, _, _ in inputs.memberships):
            cluster_members = ClusterMembership.objects.for_partnership(partnership)
            if not policy.cluster_includes_associates:
                cluster_members = cluster_members.filter(kind=ClusterMembership.Kind.FULL)
            for cluster_id, school_id in cluster_members.values_list("cluster_id", "school_id"):
                inputs.cluster_schools[cluster_id].add(school_id)
        for supporter_id, supported_id, purpose, ends_on in active_supports(partnership, inputs.today).values_list(
            "supporter_id", "supported_id", "purpose", "ends_on"
        ):
            inputs.supports[supporter_id].append((supported_id, purpose, ends_on))
        grants = active_partner_grants(partnership, inputs.today)
        if user is not None:
            grants = grants.filter(membership__user=user)
        for membership_id, school_id, access in grants.values_list("membership_id", "school_id", "access"):
            inputs.grants[membership_id][school_id] = access
        return inputs

    def shares(self, school_id: int) -> bool:
        status = self.status.get(school_id)
        if status is None:
            return not self.policy.unrecorded_is_not_sharing
        return status == MemorandumStatus.Status.SIGNED

    def undecided(self, school_id: int) -> bool:
        return school_id not in self.status

    @property
    def policy_words(self) -> str:
        return f"the partnership's sharing policy, {self.policy.label}"

    def sharing_words(self, school_id: int) -> str:
        """Why a school that shares counts as sharing: it signed, or the policy presumes it (opt-out)."""
        if self.status.get(school_id) == MemorandumStatus.Status.SIGNED:
            return "signed the memorandum"
        return f"has no memorandum answer recorded, which {self.policy_words} counts as sharing"

    def refused(self, school_id: int) -> bool:
        return self.status.get(school_id) in (MemorandumStatus.Status.DECLINED, MemorandumStatus.Status.WITHDRAWN)

    def status_words(self, school_id: int) -> str:
        status = self.status.get(school_id)
        return MemorandumStatus.Status(status).label.lower() if status else "not recorded"


def active_supports(partnership: Partnership, today: date) -> QuerySet[SupportRelationship]:
    return (
        SupportRelationship.objects.for_partnership(partnership)
        .filter(ended_at__isnull=True, starts_on__lte=today)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    )


def active_partner_grants(partnership: Partnership, today: date) -> QuerySet[StrategicPartnerGrant]:
    return (
        StrategicPartnerGrant.objects.for_partnership(partnership)
        .filter(ended_at__isnull=True, starts_on__lte=today, membership__ended_at__isnull=True)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=today))
    )


# The order memberships are read in, so that the first full answer is the docstring's first rule.
RULE_ORDER = {
    Role.OFFICER: 0,
    Role.HEAD: 1,
    Role.GOVERNOR: 1,
    Role.PARTNER: 2,
    Role.BOARD: 3,
    Role.CLUSTER_LEAD: 4,
    Role.CLUSTER_OFFICER: 5,
}


def _better(current: Access | None, candidate: Access) -> Access:
    if current is None or RANK[candidate.level] > RANK[current.level]:
        return candidate
    return current


def _user_access(inputs: _Inputs, memberships: list, school_ids, *, full_only: bool) -> dict[int, Access]:
    """The access of one person (their memberships in the partnership) to each of school_ids."""
    name = inputs.schools
    wanted = set(school_ids)
    result: dict[int, Access] = {}
    roles = {role for _, role, _, _, _ in memberships}

    def offer(school_id: int, access: Access) -> None:
        if school_id in wanted:
            result[school_id] = _better(result.get(school_id), access)

    # Rules in the order of the module docstring; offer() keeps the first full answer it gets.
    if Role.OFFICER in roles:
        for sid in school_ids:
            offer(sid, Access(FULL, "la-officer", "LA officers see every school of their partnership."))
    capped: dict[int, Access] = {}  # full answers refused because the school does not share
    for _, role, own_id, cluster_id, membership_id in sorted(memberships, key=lambda m: RULE_ORDER[m[1]]):
        if role in SCHOOL_ROLES and own_id is not None:
            own = name[own_id][1]
            offer(own_id, Access(FULL, "own-school", f"You are {Role(role).label.lower()} of {own}."))
            if inputs.shares(own_id):
                for sid in school_ids:
                    if sid != own_id and inputs.shares(sid):
                        offer(sid, Access(FULL, "memorandum", _memorandum_sentence(inputs, own_id, sid)))
            for supported_id, purpose, ends_on in inputs.supports.get(own_id, ()):
                until = f" until {ends_on:%d %b %Y}" if ends_on else ""
                access = Access(FULL, "support", f"{own} supports {name[supported_id][1]}{until}: {purpose}")
                if inputs.refused(own_id):
                    capped.setdefault(supported_id, _refused(access, own, inputs.status_words(own_id)))
                elif inputs.refused(supported_id):
                    capped.setdefault(supported_id, _not_shared(access, inputs, supported_id))
                elif not inputs.shares(supported_id) and not inputs.policy.support_to_undecided:
                    capped.setdefault(supported_id, _undecided_support(access, inputs, supported_id))
                else:
                    offer(supported_id, access)
        elif role == Role.PARTNER:
            for sid, level in inputs.grants.get(membership_id, {}).items():
                access = Access(
                    level, "partner-grant", f"The partnership granted you {level} access to {name[sid][1]}."
                )
                if level == FULL and not inputs.shares(sid):
                    capped.setdefault(sid, _not_shared(access, inputs, sid))
                else:
                    offer(sid, access)
        elif role == Role.BOARD and inputs.policy.board_sees_signed:
            board = Access(
                FULL,
                "board",
                f"Board members see the data of schools that share it, to decide bids ({inputs.policy_words}).",
            )
            for sid in school_ids:
                if inputs.shares(sid):
                    offer(sid, board)
        elif role in (Role.CLUSTER_LEAD, Role.CLUSTER_OFFICER):
            # Only the roles the policy lets see their cluster have cluster_schools loaded (see _Inputs.load).
            lead = role == Role.CLUSTER_LEAD
            if not (inputs.policy.cluster_lead_sees_cluster if lead else inputs.policy.cluster_officer_sees_cluster):
                continue
            members = "schools" if inputs.policy.cluster_includes_associates else "full member schools"
            cluster = Access(
                FULL,
                "cluster-lead" if lead else "cluster-officer",
                f"{Role(role).label}s see the data of their cluster's {members} that share it ({inputs.policy_words}).",
            )
            for sid in inputs.cluster_schools.get(cluster_id, ()):
                if inputs.shares(sid):
                    offer(sid, cluster)
    for sid, access in capped.items():
        if sid in wanted and (sid not in result or not result[sid].is_full):
            result[sid] = access
    if not full_only and roles:
        for sid in school_ids:
            if sid not in result:
                result[sid] = _headline(inputs, sid)
    return result


def _headline(inputs: _Inputs, school_id: int) -> Access:
    if inputs.shares(school_id):
        return Access(HEADLINE, "member-headline", "Members see every school's headline data.")
    return _not_shared(None, inputs, school_id)


def _not_shared(wanted: Access | None, inputs: _Inputs, school_id: int) -> Access:
    school = inputs.schools[school_id][1]
    words = inputs.status_words(school_id)
    also = f" ({wanted.rule} would otherwise apply)" if wanted else ""
    return Access(
        HEADLINE,
        "not-shared",
        f"{school}'s memorandum status is {words}: only the LA and its own people see its data; "
        f"you see its headline{also}.",
    )


def _memorandum_sentence(inputs: _Inputs, own_id: int, other_id: int) -> str:
    own, other = inputs.schools[own_id][1], inputs.schools[other_id][1]
    if inputs.status.get(own_id) == inputs.status.get(other_id) == MemorandumStatus.Status.SIGNED:
        return f"{own} and {other} both signed the memorandum."
    return f"{own} {inputs.sharing_words(own_id)}; {other} {inputs.sharing_words(other_id)}."


def _undecided_support(wanted: Access, inputs: _Inputs, school_id: int) -> Access:
    school = inputs.schools[school_id][1]
    return Access(
        HEADLINE,
        "not-shared",
        f"{school} has no memorandum answer recorded, and under {inputs.policy_words} a support opens only a "
        f"signed school's data; you see its headline ({wanted.rule} would otherwise apply).",
    )


def _refused(wanted: Access, own: str, words: str) -> Access:
    return Access(
        HEADLINE,
        "not-shared",
        f"{own}'s memorandum status is {words}: a school that has not agreed to share sees no other school's "
        f"data ({wanted.rule} would otherwise apply).",
    )


def _explain(inputs: _Inputs, school_ids, *, full_only: bool, include_admins: bool = True) -> dict:
    targets = list(inputs.schools) if school_ids is None else [s for s in school_ids if s in inputs.schools]
    by_user: dict[int, list] = defaultdict(list)
    for row in inputs.memberships:
        by_user[row[0]].append(row)
    result: dict[tuple[int, int], Access] = {}
    for user_id, rows in by_user.items():
        if user_id in inputs.superusers:
            continue
        for sid, access in _user_access(inputs, rows, targets, full_only=full_only).items():
            result[(user_id, sid)] = access
    for user_id in inputs.superusers if include_admins else ():
        for sid in targets:
            result[(user_id, sid)] = ADMIN
    return result


def explain_access(
    partnership: Partnership,
    *,
    school_ids=None,
    full_only: bool = False,
    include_admins: bool = True,
    today: date | None = None,
) -> dict[tuple[int, int], Access]:
    """Every (user id, school id) of the partnership with its access and the rule that grants it.

    ``full_only`` leaves out the headline answers (the recompute needs only the full ones). Platform
    admins are included; people of other partnerships are not, having no access.
    """
    inputs = _Inputs.load(partnership, today=today)
    return _explain(inputs, school_ids, full_only=full_only, include_admins=include_admins)


def people_access(
    partnership: Partnership, *, school_ids, user_ids=None, today: date | None = None
) -> dict[tuple[int, int], Access]:
    """What people see of some schools now, (user id, school id) to access: the answer the school's sharing
    page lists (``who_can_see``) and every confirmation message repeats, so the two never disagree.

    ``user_ids`` keeps only those people (None: everyone with at least the headline). A person of
    ``user_ids`` with no membership of the partnership is left out: they see nothing.
    """
    return _people_access(_Inputs.load(partnership, today=today), school_ids, user_ids)


def _people_access(inputs: _Inputs, school_ids, user_ids=None) -> dict[tuple[int, int], Access]:
    wanted = None if user_ids is None else set(user_ids)
    return {
        key: access
        for key, access in _explain(inputs, list(school_ids), full_only=False).items()
        if access.at_least_headline and (wanted is None or key[0] in wanted)
    }


def who_can_see(partnership: Partnership, school, *, today: date | None = None) -> list[dict]:
    """The people with access to one school, as the who_can_see command and the sharing page show it."""
    inputs = _Inputs.load(partnership, today=today)
    names = {**inputs.usernames, **inputs.superusers}
    shown = list(_people_access(inputs, [school.pk]).items())
    full_names = {
        pk: f"{first} {last}".strip()
        for pk, first, last in get_user_model()
        .objects.filter(pk__in=[user_id for (user_id, _), _ in shown])
        .values_list("pk", "first_name", "last_name")
    }
    rows = [
        {
            "username": names[user_id],
            "name": full_names.get(user_id) or names[user_id],
            "access": access.level,
            "label": access.label,
            "because": access.because,
            "sentence": access.sentence,
        }
        for (user_id, _), access in shown
    ]
    return sorted(rows, key=lambda r: (-RANK[r["access"]], r["username"]))


def _for_one_user(user, partnership: Partnership, school_ids, today: date | None = None) -> dict[int, Access]:
    if not user.is_authenticated:
        return {}
    inputs = _Inputs.load(partnership, user=user, today=today)
    targets = list(inputs.schools) if school_ids is None else [s for s in school_ids if s in inputs.schools]
    if user.is_superuser:
        return dict.fromkeys(targets, ADMIN)
    return _user_access(inputs, inputs.memberships, targets, full_only=False)


def accesses_for(user, partnership: Partnership, *, today: date | None = None) -> dict[int, Access]:
    """The person's access to every school of the partnership that they may see at all, with the rule,
    in the same few queries as one school: for lists and exports that treat each school by its level.
    A school missing from the answer is one they may not see (``NO_ACCESS``)."""
    return _for_one_user(user, partnership, None, today=today)


def access_for(user, school, *, today: date | None = None) -> Access:
    """The access of one person to one school, with the reason: what every page and export asks."""
    if not user.is_authenticated:
        return PUBLIC
    return _for_one_user(user, school.partnership, [school.pk], today=today).get(school.pk, NO_ACCESS)


def full_ids(accesses: dict[int, Access]) -> set[int]:
    """The schools, of an ``accesses_for`` answer, whose protected data the person may see."""
    return {school_id for school_id, access in accesses.items() if access.is_full}


def visible_school_ids(user, partnership: Partnership, level: str = FULL, *, today: date | None = None) -> set[int]:
    """The ids of the partnership's schools the person sees at least at ``level``: filter lists,
    counts, charts, exports and autocompletes with it, so a hidden school leaks through no total."""
    if not user.is_authenticated:
        if level == HEADLINE:
            from schools.models import School

            return set(School.objects.for_partnership(partnership).values_list("pk", flat=True))
        return set()
    return {
        sid
        for sid, access in _for_one_user(user, partnership, None, today=today).items()
        if RANK[access.level] >= RANK[level]
    }


def register_entries_visible_to(user, partnership: Partnership) -> QuerySet[ConcernRegisterEntry]:
    """The register entries the person may see; count and list only through this."""
    entries = ConcernRegisterEntry.objects.for_partnership(partnership)
    if not user.is_authenticated:
        return entries.none()
    if user.is_superuser:
        return entries
    memberships = list(Membership.objects.for_partnership(partnership).active().filter(user=user))
    if any(m.role == Role.OFFICER for m in memberships):
        return entries
    from .grants import visible_school_ids as granted_school_ids  # the stored answer of the rules above

    own = {m.school_id for m in memberships if m.role in SCHOOL_ROLES and m.school_id}
    full = granted_school_ids(user, partnership, FULL)
    # Any reason but an Ofsted judgement (another concern, a confirmed categorisation) until a notice is issued.
    confidential = ~Q(reason_kind=ConcernRegisterEntry.ReasonKind.OFSTED) & Q(warning_notice_issued_on__isnull=True)
    return entries.filter(Q(school_id__in=own) | (~confidential & Q(school_id__in=full)))


def register_entry_viewers(entry: ConcernRegisterEntry) -> set[int]:
    """The ids of the people who see one register entry: ``register_entries_visible_to`` turned round, read
    the same way (officers and platform admins; the school's own people; for an entry that is not
    confidential, whoever holds a full grant on the school)."""
    members = Membership.objects.for_partnership(entry.partnership).active()
    viewers = set(members.filter(role=Role.OFFICER).values_list("user_id", flat=True))
    viewers |= set(members.filter(role__in=SCHOOL_ROLES, school_id=entry.school_id).values_list("user_id", flat=True))
    viewers |= set(get_user_model().objects.filter(is_superuser=True, is_active=True).values_list("pk", flat=True))
    if not entry.is_confidential:
        viewers |= set(
            SchoolUserObjectPermission.objects.filter(
                content_object_id=entry.school_id, permission__codename=DATA_PERMISSION
            ).values_list("user_id", flat=True)
        )
    return viewers


def can_see_register_entry(user, entry: ConcernRegisterEntry) -> Decision:
    if register_entries_visible_to(user, entry.partnership).filter(pk=entry.pk).exists():
        return True, "You may see this register entry."
    if entry.is_confidential:
        return False, "This entry is confidential to the LA and the school until a formal warning notice is issued."
    return False, "You do not have access to this school's data."


__all__ = [
    "accesses_for",
    "ADMIN",
    "DATA_PERMISSION",
    "FULL",
    "HEADLINE",
    "HEADLINE_PERMISSION",
    "NONE",
    "NO_ACCESS",
    "PUBLIC",
    "RANK",
    "full_ids",
    "Access",
    "access_for",
    "access_log_for_school",
    "active_partner_grants",
    "active_supports",
    "can_change_sharing_policy",
    "can_grant_partner_access",
    "can_manage_sharing",
    "can_record_register",
    "can_see_register_entry",
    "can_view_sharing_overview",
    "current_sharing_policy",
    "explain_access",
    "is_data_controller",
    "memorandum_history",
    "partner_grants_of_school",
    "people_access",
    "register_entries_visible_to",
    "register_entry_viewers",
    "schools_managed_by",
    "sharing_permission",
    "sharing_policy_history",
    "supports_of_school",
    "visible_school_ids",
    "who_can_see",
]
