"""Builds the demo: three partnerships with clusters, schools and one account per role each.

Safe to run again: what exists is kept, what is missing is added, and demo passwords are reset.
"""

import random
import re
from datetime import date, timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from categorisation.letters import run_letter_count
from partnership.actors import system_actor
from partnership.models import Partnership
from partnership.roles import CLUSTER_ROLES, SCHOOL_ROLES, Role
from partnership.services import partnership_create
from people.models import Membership
from people.services import membership_add
from schools.models import Cluster, ClusterMembership, Phase, School, SchoolType
from schools.services import cluster_add_school, cluster_create, schools_create_many
from sharing import services as sharing_services
from sharing.models import ConcernRegisterEntry, MemorandumStatus, StrategicPartnerGrant, SupportRelationship

from .data import DEMO_PASSWORD, PARTNERSHIPS, PEOPLE
from .funding import load_funding
from .history import load_history
from .synthetic import (
    EARLIER_YEAR,
    YEARS,
    add_earlier_judgements,
    add_earlier_results,
    add_invented_data,
    add_national_benchmarks,
)

User = get_user_model()
ASSOCIATE = re.compile(r"\s*\(Associate\)$")

SYSTEM = system_actor("the demo loader")


def _phase(name: str, cluster: str) -> str:
    if "Specialist" in cluster:
        return Phase.SPECIAL
    if "Alternative Provision" in name:
        return Phase.AP
    if re.search(r"High|Grammar|Secondary|Academy$|Lightcliffe Academy|Brooksbank|Crossley", name) and (
        "Secondary" in cluster or "High" in name
    ):
        return Phase.SECONDARY
    return Phase.PRIMARY


def _school_type(name: str, phase: str) -> str:
    if phase == Phase.SPECIAL:
        return SchoolType.SPECIAL
    if phase == Phase.AP:
        return SchoolType.AP
    if "Academy" in name or "Trust" in name:
        return SchoolType.ACADEMY
    return SchoolType.MAINTAINED


def _invented_school(rng: random.Random, *, name: str, cluster: str, urn: str, la_code: str) -> School:
    phase = _phase(name, cluster)
    if phase == Phase.SECONDARY:
        ages, pupils = (11, 18 if "Sixth" in name or "Grammar" in name else 16), rng.randint(650, 1600)
    elif phase == Phase.SPECIAL:
        ages, pupils = (3, 19), rng.randint(60, 220)
    elif phase == Phase.AP:
        ages, pupils = (11, 16), rng.randint(25, 90)
    elif "Infant" in name:
        ages, pupils = (3, 7), rng.randint(80, 270)
    elif "Junior" in name:
        ages, pupils = (7, 11), rng.randint(120, 360)
    else:
        ages, pupils = (3, 11), rng.randint(90, 630)
    school_type = _school_type(name, phase)
    return School(
        urn=urn,
        name=name,
        la_code=la_code,
        phase=phase,
        school_type=school_type,
        age_low=ages[0],
        age_high=ages[1],
        pupils=pupils,
        capacity=int(pupils * rng.uniform(1.0, 1.25)),
        fsm_pct=Decimal(f"{rng.uniform(4, 48):.1f}"),
        trust_name="Demo Learning Trust" if school_type == SchoolType.ACADEMY else "",
    )


@transaction.atomic
def load_partnership(spec: dict, *, actor) -> tuple[Partnership, bool]:
    existing = Partnership.objects.filter(slug=spec["slug"]).first()
    if existing:
        return existing, False
    partnership = partnership_create(actor=actor, slug=spec["slug"], name=spec["name"], la_codes=spec["la_codes"])
    rng = random.Random(spec["slug"])
    la_code = spec["la_codes"][0]
    schools: dict[str, School] = {}
    placements: list[tuple[str, str, str]] = []
    for cluster_name, members in spec["clusters"].items():
        for listed in members:
            name = ASSOCIATE.sub("", listed)
            kind = ClusterMembership.Kind.ASSOCIATE if name != listed else ClusterMembership.Kind.FULL
            if name not in schools:
                urn = f"{la_code}{len(schools) + 1:03d}"
                schools[name] = _invented_school(rng, name=name, cluster=cluster_name, urn=urn, la_code=la_code)
            placements.append((cluster_name, name, kind))
    created = schools_create_many(
        actor=actor, partnership=partnership, schools=list(schools.values()), reason="Demo data."
    )
    # Invented Ofsted histories, three years of results and LA judgements, so pages and runs have data.
    add_invented_data(created, seed=spec["slug"])
    clusters = {
        name: cluster_create(
            actor=actor, partnership=partnership, name=name, slug=slugify(name)[:80], reason="Demo data."
        )
        for name in spec["clusters"]
    }
    # Full memberships first, so an associate listing never takes a school's one full place.
    for cluster_name, name, kind in sorted(placements, key=lambda p: p[2] != ClusterMembership.Kind.FULL):
        cluster_add_school(
            actor=actor, cluster=clusters[cluster_name], school=schools[name], kind=kind, reason="Demo data."
        )
    return partnership, True


def demo_user(username: str, *, first_name: str = "", last_name: str = "", superuser: bool = False):
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@demo.invalid", first_name=first_name, last_name=last_name)
    user.is_superuser = user.is_staff = superuser
    user.is_active = True
    user.set_password(DEMO_PASSWORD)
    user.save()
    return user


@transaction.atomic
def load_accounts(partnership: Partnership, *, actor) -> list[str]:
    first_cluster = Cluster.objects.for_partnership(partnership).order_by("pk").first()
    first_school = (
        School.objects.for_partnership(partnership)
        .filter(cluster_memberships__cluster=first_cluster, cluster_memberships__kind=ClusterMembership.Kind.FULL)
        .order_by("pk")
        .first()
    )
    usernames = []
    for role in Role.values:
        first, last = PEOPLE[role]
        username = f"{role}.{partnership.slug}"
        user = demo_user(username, first_name=first, last_name=last)
        school = first_school if role in SCHOOL_ROLES else None
        cluster = first_cluster if role in CLUSTER_ROLES else None
        held = Membership.objects.for_partnership(partnership).active().filter(user=user, role=role).exists()
        if not held:
            membership_add(
                actor=actor,
                partnership=partnership,
                user=user,
                role=role,
                school=school,
                cluster=cluster,
                reason="Demo account.",
            )
        usernames.append(username)
    return usernames


@transaction.atomic
def load_sharing(partnership: Partnership) -> dict:
    """Show every sharing rule: most schools signed, one declined, one undecided school supported by the
    demo head's school, a strategic partner grant, and one confidential register entry. Adds only
    what is missing, through the services (so each is audited), then recomputes the grants in full.
    Every record here is invented."""
    school_person = (
        Membership.objects.for_partnership(partnership)
        .active()
        .filter(role=Role.HEAD, user__username=f"head.{partnership.slug}")
        .select_related("school", "user")
        .first()
    )
    officer = User.objects.get(username=f"officer.{partnership.slug}")
    home = school_person.school
    cluster_mates = list(
        School.objects.for_partnership(partnership)
        .filter(cluster_memberships__cluster__members__school=home)
        .exclude(pk=home.pk)
        .distinct()
        .order_by("pk")
    )
    declined, undecided = cluster_mates[0], cluster_mates[1]
    recorded = set(MemorandumStatus.objects.for_partnership(partnership).values_list("school_id", flat=True).distinct())
    for school in School.objects.for_partnership(partnership).order_by("pk"):
        if school.pk in recorded or school == undecided:
            continue
        if school == declined:
            sharing_services.memorandum_record(
                actor=SYSTEM, school=school, status=MemorandumStatus.Status.DECLINED, note="Demo: governors declined."
            )
        else:
            sharing_services.memorandum_record(
                actor=SYSTEM,
                school=school,
                status=MemorandumStatus.Status.SIGNED,
                signed_on=date(2022, 9, 20),
                governors_minute_ref=f"FGB autumn 2022, item {4 + school.pk % 7}",
                # Demo: only the demo head's school has its own account; the LA officer stands in.
                data_controller=school_person.user if school == home else officer,
            )
    today = timezone.localdate()
    if not SupportRelationship.objects.for_partnership(partnership).exists():
        sharing_services.support_start(
            actor=SYSTEM,
            supporter=home,
            supported=undecided,
            purpose="Demo: early reading and phonics leadership.",
            starts_on=today - timedelta(days=30),
            ends_on=today + timedelta(days=150),
        )
    if not StrategicPartnerGrant.objects.for_partnership(partnership).exists():
        partner = (
            Membership.objects.for_partnership(partnership)
            .active()
            .get(user__username=f"partner.{partnership.slug}", role=Role.PARTNER)
        )
        church = list(
            School.objects.for_partnership(partnership)
            .filter(name__regex=r"\b(CE|C of E|St|RC|Catholic)\b")
            .exclude(pk__in=[declined.pk, undecided.pk])
            .order_by("pk")[:4]
        ) or list(School.objects.for_partnership(partnership).exclude(pk=declined.pk).order_by("-pk")[:2])
        sharing_services.partner_grant(
            actor=SYSTEM,
            membership=partner,
            schools=church,
            access=StrategicPartnerGrant.Access.FULL,
            starts_on=today - timedelta(days=60),
            reason="Demo: the board agreed to share church schools' data with the diocese.",
        )
    if not ConcernRegisterEntry.objects.for_partnership(partnership).exists():
        sharing_services.register_add(
            actor=SYSTEM,
            school=cluster_mates[2] if len(cluster_mates) > 2 else cluster_mates[0],
            reason_kind=ConcernRegisterEntry.ReasonKind.OTHER,
            reason="Demo: the school self-assessed as at risk in attainment of disadvantaged pupils.",
            added_on=today - timedelta(days=14),
        )
    return sharing_services.sharing_recompute(partnership=partnership)


def load_framework(partnership: Partnership, source_slug: str, *, actor) -> None:
    """The partnership's own copy of its shipped framework, published, ready for an officer to run."""
    from categorisation.models import Framework
    from categorisation.services import framework_clone

    if not Framework.objects.for_partnership(partnership).filter(slug=source_slug).exists():
        framework_clone(actor=actor, partnership=partnership, source_slug=source_slug, reason="Demo framework.")


@transaction.atomic
def load_earlier_data(partnership: Partnership) -> None:
    """What the categorisation of the year before the latest reads: the LA's judgements of that year, and the
    results of the year before the invented ones, so that it too has three years of results behind it. Added
    where missing, so an older demo database gains them."""
    add_earlier_results(partnership)
    add_earlier_judgements(partnership, year=YEARS[-2], from_year=YEARS[-1])


def load_demo(stdout=None) -> dict:
    admin = demo_user("admin", first_name="Platform", last_name="Admin", superuser=True)
    summary = {}
    for spec in PARTNERSHIPS:
        partnership, created = load_partnership(spec, actor=admin)
        # England's figures for the invented years: added where missing, so an older demo database gains them
        add_national_benchmarks(partnership, years=(EARLIER_YEAR, *YEARS))
        load_earlier_data(partnership)
        accounts = load_accounts(partnership, actor=SYSTEM)
        sharing = load_sharing(partnership)
        load_framework(partnership, spec["framework"], actor=admin)
        history = load_history(partnership, spec["framework"])
        funding = load_funding(partnership) if spec.get("funding") else None
        summary[partnership.slug] = {
            "created": created,
            "accounts": accounts,
            "sharing": sharing,
            "runs": history,
            "funding": funding,
        }
        if stdout is not None:
            state = "created" if created else "already there, kept"
            count = School.objects.for_partnership(partnership).count()
            stdout.write(f"{partnership.name}: {state}; {count} schools; accounts {', '.join(accounts)}")
            earlier, latest = history.values()
            stdout.write(
                f"  categorisation {earlier.academic_year} confirmed, {run_letter_count(earlier)} letters written; "
                f"{latest.academic_year} provisional, waiting for the schools' self-assessments"
            )
            if funding is not None:
                fund = funding["fund"]
                stdout.write(f"  {fund} of {fund.budget:,.2f} GBP, allocated to its clusters, with bids in every state")
    return summary
