"""Who sees a school's protected data, through every way it can leave the platform (issue 6).

Every kind of person (the seven roles, the head of a school that declined, a platform admin, anonymous)
× every relationship to a school × every channel: the school page, the protected API, the school list's
CSV export, the categorisation letter (PDF) and result page, and the counts and filters of the school
list. The expected level of each cell is written out below from the rules as DOMAIN.md ("Data sharing")
and the docstring of partnership/sharing.py state them; it is not computed by partnership.sharing,
or the test would prove nothing. What each level means on each channel is written out in the channel's
check.

The scene, in partnership A (world.a), each school with LA judgements (finance: serious concern) and a
confirmed categorisation with a letter, each its own category code:
- own:       world.a.school, signed; A's head and governor are its people; in A's cluster.
- peer:      world.a.other_school, signed; in A's cluster.
- declined:  declined the memorandum; in A's cluster; its head is the persona declined_head. The
             strategic partner was granted full access to it, which the refusal overrides.
- supported: no memorandum answer yet; own school supports it now.
- ended:     no memorandum answer yet; own school supported it, and the support has ended.
- granted:   signed; not in A's cluster; the strategic partner was granted full access to it (for the
             partner, peer is a signed school with no grant).
- other:     world.b.school, a school of partnership B (B's own copy of everything above).
"""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from dashboards.exports import EXPORT_WHAT, HEADER
from partnership.roles import Role
from schools.models import LocalIndicator
from sharing.models import DataAccessLog, MemorandumStatus, StrategicPartnerGrant
from sharing.services import memorandum_record, partner_grant, support_end, support_start
from tests.factories import ClusterMembershipFactory, MembershipFactory, SchoolFactory, UserFactory

pytestmark = pytest.mark.django_db

F, H, N, L = "full", "headline", "none", "sign in"
TARGETS = ("own", "peer", "declined", "supported", "ended", "granted", "other")

# Expected access, persona × target. Why, rule by rule (DOMAIN data sharing n; sharing.py rule name):
# - officer: LA officers see every school of their partnership, signed or not (3.5; la-officer); nothing
#   crosses partnerships, so B's school is none (Tenancy).
# - board: full on every school that signed (board); declined and undecided schools share with nobody but
#   the LA and their own people (5; not-shared), so headline.
# - clusterlead, clusterofficer: full on their cluster's signed schools (cluster-lead, cluster-officer);
#   the declined school is in the cluster but declined (5); granted is signed but not in the cluster.
# - head, governor of own: own school (own-school); signed peers (1; memorandum), granted signed too;
#   the school own supports, during the support (3; support); not after it ended; not the declined one (5).
# - partner: what it was granted (6; partner-grant): granted; its grant on the declined school is
#   overridden by the refusal (5); the rest headline (member-headline).
# - declined_head: its own school's data (5: "the LA's data set about itself"); no other school's (5).
# - admin: full everywhere, in every partnership (platform-admin).
# - anonymous: partnership pages need a sign-in; the public dashboard (7) is not one of these channels.
EXPECTED = {
    #                  own peer declined supported ended granted other
    "officer": dict(zip(TARGETS, (F, F, F, F, F, F, N), strict=True)),
    "board": dict(zip(TARGETS, (F, F, H, H, H, F, N), strict=True)),
    "clusterlead": dict(zip(TARGETS, (F, F, H, H, H, H, N), strict=True)),
    "clusterofficer": dict(zip(TARGETS, (F, F, H, H, H, H, N), strict=True)),
    "head": dict(zip(TARGETS, (F, F, H, F, H, F, N), strict=True)),
    "governor": dict(zip(TARGETS, (F, F, H, F, H, F, N), strict=True)),
    "partner": dict(zip(TARGETS, (H, H, H, H, H, F, N), strict=True)),
    "declined_head": dict(zip(TARGETS, (H, H, F, H, H, H, N), strict=True)),
    "admin": dict(zip(TARGETS, (F, F, F, F, F, F, F), strict=True)),
    "anonymous": dict(zip(TARGETS, (L, L, L, L, L, L, L), strict=True)),
}
# The categorisation letter is addressed to the school: it is for the LA and the school's own people (its
# headteacher and governors), and even they need full access to it. Anyone else with full access reads the
# same category and reasons on the result page, not the school's letter; they get a refusal (as headline).
LETTER_EXPECTED = {
    #                  own peer declined supported ended granted other
    "officer": dict(zip(TARGETS, (F, F, F, F, F, F, N), strict=True)),
    "board": dict(zip(TARGETS, (H, H, H, H, H, H, N), strict=True)),
    "clusterlead": dict(zip(TARGETS, (H, H, H, H, H, H, N), strict=True)),
    "clusterofficer": dict(zip(TARGETS, (H, H, H, H, H, H, N), strict=True)),
    "head": dict(zip(TARGETS, (F, H, H, H, H, H, N), strict=True)),
    "governor": dict(zip(TARGETS, (F, H, H, H, H, H, N), strict=True)),
    "partner": dict(zip(TARGETS, (H, H, H, H, H, H, N), strict=True)),
    "declined_head": dict(zip(TARGETS, (H, H, F, H, H, H, N), strict=True)),
    "admin": dict(zip(TARGETS, (F, F, F, F, F, F, F), strict=True)),
    "anonymous": dict(zip(TARGETS, (L, L, L, L, L, L, L), strict=True)),
}
PERSONAS = tuple(EXPECTED)
CATEGORY = {
    "own": "1b",
    "peer": "1c",
    "declined": "2a",
    "supported": "2b",
    "ended": "2c",
    "granted": "3a",
    "other": "3c",
}  # Milton Keynes codes, one per school, so a filter or a count names the school it comes from
JUDGEMENT_MARK = "Serious concern"  # how the school page shows finance_concern="serious"
CHANNELS = ("page", "api", "export", "letter", "result", "counts")


# ---- the scene -----------------------------------------------------------------------------------------


def _categorise(side, schools: dict, officer) -> SimpleNamespace:
    """A finished, confirmed run of the partnership with a result and a letter for each school."""
    from categorisation.models import Letter, Result, Run
    from categorisation.selectors import published_version
    from categorisation.services import framework_clone

    framework = framework_clone(actor=officer, partnership=side.partnership, source_slug="milton-keynes")
    version = published_version(framework)
    now = timezone.now()
    run = Run.objects.create(
        partnership=side.partnership,
        framework_version=version,
        academic_year="2022-23",
        status=Run.Status.DONE,
        total=len(schools),
        done_count=len(schools),
        confirmed_at=now,
        confirmed_by=officer,
        letters_status=Run.Letters.DONE,
    )
    for target, school in schools.items():
        result = Result.objects.create(
            partnership=side.partnership,
            run=run,
            school=school,
            framework_version=version,
            academic_year="2022-23",
            computed_category=CATEGORY[target],
            computed_at=now,
            status=Result.Status.CONFIRMED,
            confirmed_at=now,
            confirmed_by=officer,
        )
        Letter.objects.create(
            partnership=side.partnership,
            result=result,
            filename=f"{school.urn}-2022-23.pdf",
            file=ContentFile(b"%PDF-1.4 test letter", name="letter.pdf"),
            recipients="The headteacher\nThe chair of governors",
        )
    return run


def _judge(school) -> None:
    LocalIndicator.objects.create(
        partnership=school.partnership,
        school=school,
        academic_year="2022-23",
        sef_validated_grade=2,
        finance_concern=LocalIndicator.Finance.SERIOUS,
        complaints=7,
    )


def _sign(school, controller, officer):
    memorandum_record(
        actor=officer,
        school=school,
        status=MemorandumStatus.Status.SIGNED,
        signed_on=date(2022, 9, 20),
        governors_minute_ref="FGB 2022/14",
        data_controller=controller,
    )


def build_scene(world) -> SimpleNamespace:
    a = world.a
    p = a.partnership
    officer = a.users["officer"]
    declined = SchoolFactory(partnership=p, urn="901010", name="Declined Primary School")
    supported = SchoolFactory(partnership=p, urn="901011", name="Supported Primary School")
    ended = SchoolFactory(partnership=p, urn="901012", name="Formerly Supported Primary School")
    granted = SchoolFactory(partnership=p, urn="901013", name="Granted Church School")
    ClusterMembershipFactory(cluster=a.cluster, school=declined)
    declined_head = UserFactory(username="declinedhead.alpha")
    MembershipFactory(partnership=p, user=declined_head, role=Role.HEAD, school=declined)
    today = timezone.localdate()
    _sign(a.school, a.users["head"], officer)
    _sign(a.other_school, officer, officer)
    _sign(granted, officer, officer)
    memorandum_record(
        actor=officer,
        school=declined,
        status=MemorandumStatus.Status.DECLINED,
        data_controller=declined_head,
        note="The governors chose not to share.",
    )
    support_start(
        actor=officer,
        supporter=a.school,
        supported=supported,
        purpose="Phonics and early reading",
        starts_on=today - timedelta(days=30),
        ends_on=today + timedelta(days=60),
    )
    old = support_start(
        actor=officer,
        supporter=a.school,
        supported=ended,
        purpose="Maths leadership",
        starts_on=today - timedelta(days=300),
    )
    support_end(actor=officer, support=old, reason="The support plan is complete.")
    partner_grant(
        actor=officer,
        membership=a.users["partner"].memberships.get(partnership=p),
        schools=[granted, declined],
        access=StrategicPartnerGrant.Access.FULL,
        starts_on=today - timedelta(days=1),
        reason="Diocesan schools: the board agreed to share.",
    )
    schools = {
        "own": a.school,
        "peer": a.other_school,
        "declined": declined,
        "supported": supported,
        "ended": ended,
        "granted": granted,
        "other": world.b.school,
    }
    for school in schools.values():
        _judge(school)
    runs = {
        p.pk: _categorise(a, {t: s for t, s in schools.items() if t != "other"}, officer),
        world.b.partnership.pk: _categorise(world.b, {"other": world.b.school}, world.b.users["officer"]),
    }
    users = {role: a.users[role] for role in Role.values}
    users.update(declined_head=declined_head, admin=world.admin, anonymous=None)
    return SimpleNamespace(world=world, schools=schools, runs=runs, users=users)


@pytest.fixture
def scene(world):
    return build_scene(world)


# ---- the channels: what each expected level means on each ------------------------------------------------


def _logs(user, school, what: str) -> int:
    return DataAccessLog.objects.filter(user=user, school=school, what__startswith=what).count()


def _signed_out(response) -> bool:
    return response.status_code == 302 and response.url.startswith(reverse("login"))


def check_page(client, scene, persona, user, target, school, level) -> list[str]:
    """full: 200 with the LA's judgements, the view logged; headline: 200 with the school's public page and
    the reason, nothing logged; none: 404 (also through A's address); sign in: the sign-in page."""
    url = reverse("school_detail", args=[school.partnership.slug, school.urn])
    before = _logs(user, school, "school page")
    response = client.get(url)
    body = response.content.decode() if response.status_code == 200 else ""
    if level == L:
        return [] if _signed_out(response) else [f"answered {response.status_code}, not the sign-in page"]
    if level == N:
        inside_a = client.get(reverse("school_detail", args=[scene.world.a.partnership.slug, school.urn]))
        statuses = (response.status_code, inside_a.status_code)
        return [] if statuses == (404, 404) else [f"answered {statuses}, not (404, 404)"]
    if response.status_code != 200 or school.name not in body:
        return [f"answered {response.status_code} without the school's public page"]
    logged = _logs(user, school, "school page") - before
    if level == F:
        return (
            []
            if JUDGEMENT_MARK in body and logged == 1
            else [f"judgements shown {JUDGEMENT_MARK in body}, logged {logged}"]
        )
    shown = JUDGEMENT_MARK in body or logged or "not its detailed data" not in body
    return [f"judgements shown {JUDGEMENT_MARK in body}, logged {logged}, reason missing"] if shown else []


def check_api(client, scene, persona, user, target, school, level) -> list[str]:
    """Each school's protected endpoints (judgements, categorisations) and the two protected lists.
    full: 200 with the rows, and the list holds the school; headline: 403 saying why, and the lists leave
    it out; none: 404 (also through A's address); sign in: 401 or 403 without data."""
    slug, errors = school.partnership.slug, []
    before = _logs(user, school, "API")
    for name, key in (("api_school_judgements", "judgements"), ("api_school_categorisations", "results")):
        response = client.get(reverse(name, kwargs={"partnership_slug": slug, "urn": school.urn}))
        body = response.json() if response["Content-Type"].startswith("application/json") else {}
        if level == L:
            ok = response.status_code in (401, 403) and key not in body
        elif level == N:
            inside_a = client.get(reverse(name, kwargs={"partnership_slug": "alpha", "urn": school.urn}))
            ok = (response.status_code, inside_a.status_code) == (404, 404)
        elif level == H:
            ok = response.status_code == 403 and school.name in body.get("detail", "") and key not in body
        else:
            ok = response.status_code == 200 and body.get("urn") == school.urn and len(body.get(key, ())) == 1
        if not ok:
            errors.append(f"{name} answered {response.status_code}: {str(body)[:160]}")
    for name in ("api_judgement_list", "api_categorisation_list"):
        response = client.get(reverse(name, kwargs={"partnership_slug": slug}))
        listed = {row["urn"] for row in response.json().get("results", ())} if response.status_code == 200 else set()
        if level == L:
            ok = response.status_code in (401, 403)
        elif level == N:
            ok = response.status_code == 404
        else:
            ok = response.status_code == 200 and (school.urn in listed) == (level == F)
        if not ok:
            errors.append(f"{name} answered {response.status_code}, listed {sorted(listed)}")
    logged = _logs(user, school, "API") - before
    expected_logs = 4 if level == F else 0  # two school endpoints and two lists
    if level != L and logged != expected_logs:
        errors.append(f"logged {logged} API views, not {expected_logs}")
    return errors


def check_export(client, scene, persona, user, target, school, level) -> list[str]:
    """full: the school's row at access "full" with its judgements and category, logged; headline: its row at
    access "headline" with every protected cell blank, nothing logged; none: no row in A's file and a 404
    for its own partnership's; sign in: the sign-in page."""
    before = _logs(user, school, EXPORT_WHAT)
    response = client.get(reverse("school_export", args=[school.partnership.slug]))
    if level == L:
        return [] if _signed_out(response) else [f"answered {response.status_code}, not the sign-in page"]
    if level == N:
        own_file = client.get(reverse("school_export", args=[scene.world.a.partnership.slug]))
        rows = _csv(own_file)
        if response.status_code != 404 or any(row["urn"] == school.urn for row in rows):
            return [f"answered {response.status_code}; A's file lists it: {any(r['urn'] == school.urn for r in rows)}"]
        return []
    rows = [row for row in _csv(response) if row["urn"] == school.urn]
    if len(rows) != 1:
        return [f"answered {response.status_code} with {len(rows)} rows for the school"]
    row = rows[0]
    protected = {k: v for k, v in row.items() if HEADER.index(k) >= HEADER.index("judgements_academic_year")}
    logged = _logs(user, school, EXPORT_WHAT) - before
    if level == F:
        ok = (
            row["access"] == F
            and row["finance_concern"] == "serious"
            and row["category"] == CATEGORY[target]
            and logged == 1
        )
    else:
        ok = row["access"] == H and not any(protected.values()) and logged == 0 and row["access_because"]
    return [] if ok else [f"row {row}, logged {logged}"]


def _csv(response) -> list[dict]:
    import csv
    import io

    if response.status_code != 200:
        return []
    return list(csv.DictReader(io.StringIO(response.content.decode())))


def _result_url(name, scene, school) -> str:
    run = scene.runs[school.partnership_id]
    return reverse(name, kwargs={"partnership_slug": school.partnership.slug, "run_uuid": run.uuid, "urn": school.urn})


def _refused_or_missing(response, level) -> bool:
    if level == L:
        return _signed_out(response)
    return response.status_code == (404 if level == N else 403)


def check_letter(client, scene, persona, user, target, school, level) -> list[str]:
    """full: 200, the PDF; headline: 403; none: 404; sign in: the sign-in page."""
    response = client.get(_result_url("categorisation_letter", scene, school))
    if level == F:
        ok = response.status_code == 200 and response["Content-Type"] == "application/pdf"
    else:
        ok = _refused_or_missing(response, level)
    return [] if ok else [f"answered {response.status_code}"]


def check_result(client, scene, persona, user, target, school, level) -> list[str]:
    """full: 200, the result page of the school; headline: 403; none: 404; sign in: the sign-in page."""
    response = client.get(_result_url("categorisation_result", scene, school))
    if level == F:
        ok = response.status_code == 200 and school.name in response.content.decode()
    else:
        ok = _refused_or_missing(response, level)
    return [] if ok else [f"answered {response.status_code}"]


def check_counts(client, scene, persona, user, target, school, level) -> list[str]:
    """The school list's category filter (its choices and what it counts). full: the school's category is
    offered and filtering by it counts exactly that school; headline: the category is not offered and
    filtering by it counts nothing by it (the filter is refused); none: 404; sign in: the sign-in page."""
    url = reverse("school_list", args=[school.partnership.slug])
    response = client.get(url)
    if level == L:
        return [] if _signed_out(response) else [f"answered {response.status_code}, not the sign-in page"]
    if level == N:
        return [] if response.status_code == 404 else [f"answered {response.status_code}"]
    offered = [value for value, _ in response.context["form"].fields["category"].choices]
    filtered = client.get(url, {"category": CATEGORY[target]})
    counted = [s.urn for s in filtered.context["page"]]
    if level == F:
        ok = CATEGORY[target] in offered and counted == [school.urn]
    else:
        ok = CATEGORY[target] not in offered and "category" in filtered.context["form"].errors
    return [] if ok else [f"offered {offered}, filtered to {counted}"]


CHECKS = {
    "page": check_page,
    "api": check_api,
    "export": check_export,
    "letter": check_letter,
    "result": check_result,
    "counts": check_counts,
}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(scene, client, persona, channel):
    user = scene.users[persona]
    if user is not None:
        client.force_login(user)
    errors = []
    table = LETTER_EXPECTED if channel == "letter" else EXPECTED
    for target in TARGETS:
        level = table[persona][target]
        for problem in CHECKS[channel](client, scene, persona, user, target, scene.schools[target], level):
            errors.append(f"{persona} × {target} × {channel} (expected {level}): {problem}")
    assert not errors, "\n".join(errors)


def test_the_table_covers_every_role_and_relationship():
    for table in (EXPECTED, LETTER_EXPECTED):
        assert set(Role.values) <= set(table) and tuple(table) == PERSONAS
        assert all(tuple(row) == TARGETS for row in table.values())


# ---- ending a support removes access at once -------------------------------------------------------------


def test_ending_a_support_removes_access_at_once_everywhere(scene, client, django_capture_on_commit_callbacks):
    """The supporter's head sees the supported school at full through the page, the API, the export, the
    result page and the counts; the support ends (its grants follow in the same transaction, nothing is
    queued) and the very next requests get the headline only, on every channel, the letter too.
    (The letter is the supported school's own: the supporter's head is refused it during the support too.)"""
    from sharing.models import SupportRelationship

    head, school = scene.users["head"], scene.schools["supported"]
    client.force_login(head)
    for channel in ("page", "api", "export", "result", "counts"):
        assert CHECKS[channel](client, scene, "head", head, "supported", school, F) == [], channel
    support = SupportRelationship.objects.get(supported=school, ended_at__isnull=True)
    with django_capture_on_commit_callbacks(execute=False) as queued:
        support_end(actor=scene.users["officer"], support=support, reason="The school no longer needs it.")
    assert not queued  # nothing is left to a task: the grants followed in the same transaction
    for channel, check in CHECKS.items():
        assert check(client, scene, "head", head, "supported", school, H) == [], channel


def test_each_check_tells_a_leak_from_a_refusal(scene, client):
    """The checks are not vacuous: each reports a problem when told the wrong level for a cell."""
    head = scene.users["head"]
    client.force_login(head)
    for channel, check in CHECKS.items():
        own, declined = scene.schools["own"], scene.schools["declined"]
        assert check(client, scene, "head", head, "own", own, H), f"{channel}: full data passed as headline"
        assert check(client, scene, "head", head, "declined", declined, F), f"{channel}: headline passed as full"
        assert check(client, scene, "head", head, "declined", declined, N), f"{channel}: headline passed as none"
