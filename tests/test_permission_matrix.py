"""Who sees a school's protected data, through every way it can leave the platform.

Every kind of person (the seven roles, the head of a school that declined, a platform admin, anonymous)
× every relationship to a school × every channel: the school page, the protected API, the school list's
CSV export, the categorisation letter (PDF), the zip of a run's letters, the result page, a run's page, its
results CSV and its progress JSON, the school's category history, its sharing pages, the cluster page, the
category on the school page, in the school list's column and on the cluster page, and the counts and filters
of the school list. The expected level of each cell is written out below from the rules as DOMAIN.md ("Data sharing")
and the docstring of sharing/rules.py state them; it is not computed by the sharing rules,
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

import uuid
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
# The zip of every letter of a run is the officers' (it holds every school's letter, so only someone with
# full access to all of them may take it): everyone else is refused (403, as headline); B's run is B's.
ZIP_EXPECTED = {
    #                  own peer declined supported ended granted other
    **{persona: dict(zip(TARGETS, (H, H, H, H, H, H, N), strict=True)) for persona in EXPECTED},
    "officer": dict(zip(TARGETS, (F, F, F, F, F, F, N), strict=True)),
    "admin": dict(zip(TARGETS, (F, F, F, F, F, F, F), strict=True)),
    "anonymous": dict(zip(TARGETS, (L, L, L, L, L, L, L), strict=True)),
}
# The sharing pages of a school: full here means managing its sharing (who sees it, the access log, the
# memorandum form): the LA, the school's headteacher and its named data controller (memorandum 3.2, 3.3).
# Own's controller is A's head; peer's and granted's the officer; declined's its head. Anyone else in the
# partnership reads why they see the school as they do (headline), and nothing of who else does.
SHARING_EXPECTED = {
    #                  own peer declined supported ended granted other
    **{persona: dict(zip(TARGETS, (H, H, H, H, H, H, N), strict=True)) for persona in EXPECTED},
    "officer": dict(zip(TARGETS, (F, F, F, F, F, F, N), strict=True)),
    "head": dict(zip(TARGETS, (F, H, H, H, H, H, N), strict=True)),
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
# How the pages name each category (the framework's label, not its code).
LABEL = {
    "own": "Outstanding with a small dip: risk of 2",
    "peer": "Outstanding at risk of RI/SW/SM",
    "declined": "Good, anticipated to be 1 at next Ofsted",
    "supported": "Good with some concern, to be monitored",
    "ended": "Good at risk of RI/SW/SM",
    "granted": "RI, anticipated to be good at next Ofsted",
    "other": "RI at risk of RI/RI leadership/SW/SM",
}
JUDGEMENT_MARK = "Serious concern"  # how the school page shows finance_concern="serious"


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
    assert response.content.startswith("\ufeff".encode()), "every export is UTF-8 with a byte-order mark"
    text = response.content.decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


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


def _run_url(name, scene, school) -> str:
    run = scene.runs[school.partnership_id]
    return reverse(name, kwargs={"partnership_slug": school.partnership.slug, "run_uuid": run.uuid})


def _missing_twice(client, scene, name, school) -> list[str]:
    """none: 404 under the school's own partnership's address; under A's, with the same run, exactly what a
    run that does not exist gets (404, or the 403 of a page the person may not use at all)."""
    run = scene.runs[school.partnership_id]

    def in_a(run_uuid) -> int:
        a_slug = scene.world.a.partnership.slug
        return client.get(reverse(name, kwargs={"partnership_slug": a_slug, "run_uuid": run_uuid})).status_code

    statuses = (client.get(_run_url(name, scene, school)).status_code, in_a(run.uuid))
    expected = (404, in_a(uuid.uuid4()))
    ok = statuses == expected and expected[1] in (403, 404)
    return [] if ok else [f"answered {statuses}, not {expected}"]


def check_run(client, scene, persona, user, target, school, level) -> list[str]:
    """The run page lists the schools the person sees at full and nothing of the others. full: the school's
    row (a link to its result) and the view logged; headline: 200 without it, nothing logged; none: 404."""
    if level == N:
        return _missing_twice(client, scene, "categorisation_run_detail", school)
    before = _logs(user, school, "categorisation run")
    response = client.get(_run_url("categorisation_run_detail", scene, school))
    if level == L:
        return [] if _signed_out(response) else [f"answered {response.status_code}, not the sign-in page"]
    listed = _result_url("categorisation_result", scene, school) in response.content.decode()
    logged = _logs(user, school, "categorisation run") - before
    ok = response.status_code == 200 and listed == (level == F) and logged == (1 if level == F else 0)
    return [] if ok else [f"answered {response.status_code}, listed {listed}, logged {logged}"]


def check_run_csv(client, scene, persona, user, target, school, level) -> list[str]:
    """The run's results CSV. full: the school's row with its category, logged; headline: no row, nothing
    logged; none: 404; sign in: the sign-in page."""
    if level == N:
        return _missing_twice(client, scene, "categorisation_run_export", school)
    what = "categorisation results"
    before = _logs(user, school, what)
    response = client.get(_run_url("categorisation_run_export", scene, school))
    if level == L:
        return [] if _signed_out(response) else [f"answered {response.status_code}, not the sign-in page"]
    rows = [row for row in _csv(response) if row["urn"] == school.urn]
    logged = _logs(user, school, what) - before
    if level == F:
        ok = len(rows) == 1 and rows[0]["computed_category"] == CATEGORY[target] and logged == 1
    else:
        ok = response.status_code == 200 and not rows and logged == 0
    return [] if ok else [f"answered {response.status_code}, rows {rows}, logged {logged}"]


def check_progress(client, scene, persona, user, target, school, level) -> list[str]:
    """The run's progress JSON counts each category over the schools the person sees. full: the school's
    category counted once; headline: not counted; none: 404; sign in: the sign-in page."""
    if level == N:
        return _missing_twice(client, scene, "categorisation_run_progress", school)
    response = client.get(_run_url("categorisation_run_progress", scene, school))
    if level == L:
        return [] if _signed_out(response) else [f"answered {response.status_code}, not the sign-in page"]
    counts = response.json().get("counts", {}) if response.status_code == 200 else None
    if counts is None:
        return [f"answered {response.status_code}"]
    counted = counts.get(CATEGORY[target], 0)
    return [] if counted == (1 if level == F else 0) else [f"counts {counts}"]


def check_history(client, scene, persona, user, target, school, level) -> list[str]:
    """The school's category year by year. full: 200 with the year's run, logged; headline: 403 saying why;
    none: 404; sign in: the sign-in page."""
    url = reverse("categorisation_school", args=[school.partnership.slug, school.urn])
    before = _logs(user, school, "categorisation history")
    response = client.get(url)
    if level == N:
        inside_a = client.get(reverse("categorisation_school", args=[scene.world.a.partnership.slug, school.urn]))
        statuses = (response.status_code, inside_a.status_code)
        return [] if statuses == (404, 404) else [f"answered {statuses}, not (404, 404)"]
    if level != F:
        return [] if _refused_or_missing(response, level) else [f"answered {response.status_code}"]
    logged = _logs(user, school, "categorisation history") - before
    body = response.content.decode()
    ok = response.status_code == 200 and _run_url("categorisation_run_detail", scene, school) in body and logged == 1
    return [] if ok else [f"answered {response.status_code}, logged {logged}"]


def check_letters_zip(client, scene, persona, user, target, school, level) -> list[str]:
    """Every letter of the run in one zip. full: 200, a zip holding the school's letter; headline: 403;
    none: 404; sign in: the sign-in page."""
    import io
    import zipfile

    if level == N:
        return _missing_twice(client, scene, "categorisation_letters_zip", school)
    response = client.get(_run_url("categorisation_letters_zip", scene, school))
    if level != F:
        return [] if _refused_or_missing(response, level) else [f"answered {response.status_code}"]
    if response.status_code != 200:
        return [f"answered {response.status_code}"]
    names = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    return [] if f"{school.urn}-2022-23.pdf" in names else [f"the zip holds {names}"]


def check_sharing(client, scene, persona, user, target, school, level) -> list[str]:
    """The school's sharing page and its memorandum form. full (manages the school's sharing): who can see
    it and the memorandum form; headline: why the person sees it as they do, nothing of who else does, and
    the form refused (403); none: 404 for both; sign in: the sign-in page."""
    slug = school.partnership.slug
    detail = client.get(reverse("sharing_detail", args=[slug, school.urn]))
    form = client.get(reverse("sharing_memorandum", args=[slug, school.urn]))
    if level == L:
        ok = _signed_out(detail) and _signed_out(form)
        return [] if ok else [f"answered {detail.status_code}, {form.status_code}"]
    if level == N:
        inside_a = client.get(reverse("sharing_detail", args=[scene.world.a.partnership.slug, school.urn]))
        statuses = (detail.status_code, form.status_code, inside_a.status_code)
        return [] if statuses == (404, 404, 404) else [f"answered {statuses}"]
    body = detail.content.decode() if detail.status_code == 200 else ""
    manages = "Everyone who can see it" in body
    if level == F:
        ok = detail.status_code == 200 and manages and form.status_code == 200
    else:
        ok = detail.status_code == 200 and not manages and "Why you can see this school" in body
        ok = ok and form.status_code == 403
    return [] if ok else [f"answered {detail.status_code}, {form.status_code}; manages {manages}"]


def check_cluster(client, scene, persona, user, target, school, level) -> list[str]:
    """A cluster's page lists its members with their public data to every member of the partnership (full or
    headline alike) when in the cluster, and none of the LA's judgements (its category column is the
    cluster_category channel); none: 404 (B's
    cluster, also through A's address); sign in: the sign-in page."""
    side = scene.world.b if target == "other" else scene.world.a
    url = reverse("cluster_detail", args=[side.partnership.slug, side.cluster.slug])
    response = client.get(url)
    if level == L:
        return [] if _signed_out(response) else [f"answered {response.status_code}, not the sign-in page"]
    if level == N:
        inside_a = client.get(reverse("cluster_detail", args=[scene.world.a.partnership.slug, side.cluster.slug]))
        statuses = (response.status_code, inside_a.status_code)
        return [] if statuses == (404, 404) else [f"answered {statuses}, not (404, 404)"]
    body = response.content.decode()
    in_cluster = side.cluster.members.filter(school=school).exists()
    link = reverse("school_detail", args=[side.partnership.slug, school.urn])
    ok = response.status_code == 200 and (link in body) == in_cluster and JUDGEMENT_MARK not in body
    return [] if ok else [f"answered {response.status_code}, listed {link in body} (in cluster {in_cluster})"]


def _row(body: str, link: str) -> str:
    """The table row of a page that links to ``link`` ("" when none does)."""
    at = body.find(f'href="{link}"')
    if at < 0:
        return ""
    return body[body.rfind("<tr", 0, at) : body.find("</tr>", at)]


def _category_cell(body: str) -> str:
    start = body.find('id="school-category"')
    return body[start : body.find("</dd>", start)] if start >= 0 else ""


def check_page_category(client, scene, persona, user, target, school, level) -> list[str]:
    """The school page's category. full: its framework name in the category row; headline: no category row
    and the name nowhere; none: 404; sign in: the sign-in page."""
    response = client.get(reverse("school_detail", args=[school.partnership.slug, school.urn]))
    if level == L:
        return [] if _signed_out(response) else [f"answered {response.status_code}, not the sign-in page"]
    if level == N:
        return [] if response.status_code == 404 else [f"answered {response.status_code}"]
    body = response.content.decode() if response.status_code == 200 else ""
    cell = _category_cell(body)
    if level == F:
        return [] if LABEL[target] in cell else [f"answered {response.status_code}, category cell {cell[:120]!r}"]
    return [] if not cell and LABEL[target] not in body else [f"the category shows: {cell[:120]!r}"]


def check_list_category(client, scene, persona, user, target, school, level) -> list[str]:
    """The school list's category column, sorted by category. full: the school's row names its category;
    headline: its row says "Not shown"; none: 404 (and no row in A's list); sign in: the sign-in page."""
    response = client.get(reverse("school_list", args=[school.partnership.slug]), {"sort": "category"})
    if level == L:
        return [] if _signed_out(response) else [f"answered {response.status_code}, not the sign-in page"]
    if level == N:
        in_a = client.get(reverse("school_list", args=[scene.world.a.partnership.slug]), {"sort": "category"})
        listed = LABEL[target] in in_a.content.decode()
        return [] if response.status_code == 404 and not listed else [f"answered {response.status_code}"]
    row = _row(response.content.decode(), reverse("school_detail", args=[school.partnership.slug, school.urn]))
    if level == F:
        return [] if LABEL[target] in row else [f"row {row[:200]!r}"]
    return [] if row and LABEL[target] not in row and "Not shown" in row else [f"row {row[:200]!r}"]


def check_cluster_category(client, scene, persona, user, target, school, level) -> list[str]:
    """The cluster page's category of each member. full: the member's row names its category; headline: its
    row says "Not shown"; a school outside the cluster has no row; none: 404; sign in: the sign-in page."""
    side = scene.world.b if target == "other" else scene.world.a
    response = client.get(reverse("cluster_detail", args=[side.partnership.slug, side.cluster.slug]))
    if level == L:
        return [] if _signed_out(response) else [f"answered {response.status_code}, not the sign-in page"]
    if level == N:
        return [] if response.status_code == 404 else [f"answered {response.status_code}"]
    body = response.content.decode()
    row = _row(body, reverse("school_detail", args=[side.partnership.slug, school.urn]))
    if not side.cluster.members.filter(school=school).exists():
        return [] if not row and LABEL[target] not in body else [f"not a member, yet {row[:120]!r}"]
    if level == F:
        return [] if LABEL[target] in row else [f"row {row[:200]!r}"]
    return [] if "Not shown" in row and LABEL[target] not in row else [f"row {row[:200]!r}"]


CHECKS = {
    "page": check_page,
    "api": check_api,
    "export": check_export,
    "letter": check_letter,
    "result": check_result,
    "counts": check_counts,
    "run": check_run,
    "run_csv": check_run_csv,
    "progress": check_progress,
    "history": check_history,
    "letters_zip": check_letters_zip,
    "sharing": check_sharing,
    "cluster": check_cluster,
    "page_category": check_page_category,
    "list_category": check_list_category,
    "cluster_category": check_cluster_category,
}
CHANNELS = tuple(CHECKS)
TABLES = {"letter": LETTER_EXPECTED, "letters_zip": ZIP_EXPECTED, "sharing": SHARING_EXPECTED}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("persona", PERSONAS)
def test_permission_matrix(scene, client, persona, channel):
    user = scene.users[persona]
    if user is not None:
        client.force_login(user)
    errors = []
    table = TABLES.get(channel, EXPECTED)
    for target in TARGETS:
        level = table[persona][target]
        for problem in CHECKS[channel](client, scene, persona, user, target, scene.schools[target], level):
            errors.append(f"{persona} × {target} × {channel} (expected {level}): {problem}")
    assert not errors, "\n".join(errors)


def test_the_table_covers_every_role_and_relationship():
    for table in (EXPECTED, LETTER_EXPECTED, ZIP_EXPECTED, SHARING_EXPECTED):
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
    own, declined = scene.schools["own"], scene.schools["declined"]
    for channel, check in CHECKS.items():
        if channel == "cluster":  # public data only: full and headline read the same page
            client.force_login(head)
            assert check(client, scene, "head", head, "own", own, N), f"{channel}: a member's page passed as none"
            assert check(client, scene, "head", head, "own", own, L), f"{channel}: a member's page passed as sign in"
            continue
        # The letters' zip is the officers' alone: the officer's full access to it must not pass as headline.
        full_one = "officer" if channel == "letters_zip" else "head"
        client.force_login(scene.users[full_one])
        found = check(client, scene, full_one, scene.users[full_one], "own", own, H)
        assert found, f"{channel}: full data passed as headline"
        client.force_login(head)
        assert check(client, scene, "head", head, "declined", declined, F), f"{channel}: headline passed as full"
        assert check(client, scene, "head", head, "declined", declined, N), f"{channel}: headline passed as none"


# ---- every way out is a channel, or says why it is not -----------------------------------------------------

# The URL names each channel above requests.
CHANNEL_URLS = {
    "page": {"school_detail"},
    "api": {"api_school_judgements", "api_school_categorisations", "api_judgement_list", "api_categorisation_list"},
    "export": {"school_export"},
    "letter": {"categorisation_letter"},
    "result": {"categorisation_result"},
    "counts": {"school_list"},
    "run": {"categorisation_run_detail"},
    "run_csv": {"categorisation_run_export"},
    "progress": {"categorisation_run_progress"},
    "history": {"categorisation_school"},
    "letters_zip": {"categorisation_letters_zip"},
    "sharing": {"sharing_detail", "sharing_memorandum"},
    "cluster": {"cluster_detail"},
    "page_category": {"school_detail"},
    "list_category": {"school_list"},
    "cluster_category": {"cluster_detail"},
}
OFFICERS_ONLY = "officers only, who see every school of their partnership: any other role is refused (tested below)"
PUBLIC = "public data only (DfE and Ofsted figures, names and clusters), the same for every member"
# Tenant URLs that are not channels of a school's protected data, and why.
NOT_CHANNELS = {
    "partnership_home": "counts of schools, people and clusters, and the person's own memberships",
    "cluster_list": PUBLIC,
    "sharing_overview": "the memorandum answers and supports of the schools the person manages (checked by "
    "can_view_sharing_overview); no performance or evaluative data",
    "audit_list": OFFICERS_ONLY,
    **{
        name: "the service's help, privacy, accessibility or cookies page, with the partnership's own contact "
        "details and paragraphs: the same for every member, nothing about any school"
        for name in ("partnership_help", "partnership_privacy", "partnership_accessibility", "partnership_cookies")
    },
    "service_pages_edit": OFFICERS_ONLY,
    "people_list": OFFICERS_ONLY,
    "people_invite": OFFICERS_ONLY,
    "people_detail": OFFICERS_ONLY,
    "import_list": OFFICERS_ONLY,
    "import_upload": OFFICERS_ONLY,
    "import_template": OFFICERS_ONLY,
    "import_detail": OFFICERS_ONLY,
    "import_apply": OFFICERS_ONLY,
    "sharing_policy": OFFICERS_ONLY,
    "sharing_support_start": "a form: the schools offered are those whose sharing the person manages",
    "sharing_support_end": "a form on one support, refused to anyone who does not manage its school",
    "sharing_partner_grant": OFFICERS_ONLY,
    "sharing_partner_grant_end": OFFICERS_ONLY,
    "sharing_register_add": OFFICERS_ONLY,
    "sharing_register_notice": OFFICERS_ONLY,
    "categorisation_home": "links to the runs and frameworks the person may use; no school's result",
    "categorisation_run_list": OFFICERS_ONLY,
    "categorisation_run_confirm": OFFICERS_ONLY,
    "categorisation_run_resume": OFFICERS_ONLY,
    "categorisation_run_withdraw": OFFICERS_ONLY,
    "categorisation_run_due_date": OFFICERS_ONLY,
    "categorisation_letters_retry": OFFICERS_ONLY,
    "categorisation_letter_template": OFFICERS_ONLY,
    "school_judgements": OFFICERS_ONLY,
    **{
        name: OFFICERS_ONLY
        for name in (
            "categorisation_framework_clone",
            "categorisation_framework_edit",
            "categorisation_framework_details",
            "categorisation_framework_parameters",
            "categorisation_framework_rows",
            "categorisation_framework_category_add",
            "categorisation_framework_category",
            "categorisation_framework_category_move",
            "categorisation_framework_criterion_move",
            "categorisation_framework_category_remove",
            "categorisation_framework_json",
            "categorisation_framework_export",
            "categorisation_framework_whatif",
        )
    },
    "api_school_list": PUBLIC,
    "api_school_detail": PUBLIC,
    "api_cluster_list": PUBLIC,
    "api_cluster_detail": PUBLIC,
    "api_inspection_list": PUBLIC,
    "api_result_list": PUBLIC,
    "api_benchmark_list": PUBLIC,
    **{
        name: "funding data, no school's performance or evaluative data: funds and their figures, allocations "
        "and the rate card are the same for every member; bids are those funding.selectors.bids_for lets the "
        "person see (tests/funding/test_api.py), cluster plans their cluster's roles, the board and the LA"
        for name in (
            "api_fund_list",
            "api_fund_allocations",
            "api_rate_card",
            "api_bid_list",
            "api_bid_detail",
            "api_bid_action",
            "funding_bid_a1_pdf",
            "funding_bid_a2_pdf",
            "funding_plan_a3_pdf",
        )
    },
}


def _tenant_url_names() -> set[str]:
    from tests.test_cross_tenant import GLOBAL_URLS, all_urls

    return {name for name, _ in all_urls()} - set(GLOBAL_URLS)


def test_every_tenant_url_is_a_channel_or_says_why_not():
    """A new page, export or endpoint of a partnership fails here until it is a channel of the matrix (with its
    check) or NOT_CHANNELS says why it shows no school's protected data."""
    channels = set().union(*CHANNEL_URLS.values())
    assert set(CHANNEL_URLS) == set(CHECKS)
    assert not channels & set(NOT_CHANNELS), "a URL is both a channel and not one"
    unlisted = sorted(_tenant_url_names() - channels - set(NOT_CHANNELS))
    assert not unlisted, f"add each to CHANNEL_URLS (with a check) or NOT_CHANNELS (with why): {unlisted}"
    gone = sorted((channels | set(NOT_CHANNELS)) - _tenant_url_names())
    assert not gone, f"listed but no longer a URL: {gone}"


def test_the_officers_only_urls_refuse_every_other_role(scene, client):
    """What NOT_CHANNELS calls officers only is: every other role of the partnership gets 403 saying why."""
    from tests.test_cross_tenant import TENANT_URLS

    slug = scene.world.a.partnership.slug
    names = sorted(name for name, why in NOT_CHANNELS.items() if why == OFFICERS_ONLY)
    wrong = []
    for persona in ("board", "clusterlead", "clusterofficer", "head", "governor", "partner"):
        client.force_login(scene.users[persona])
        for name in names:
            url = reverse(name, kwargs={"partnership_slug": slug, **TENANT_URLS[name](scene.world)})
            response = client.get(url)
            if response.status_code == 405:  # a form's action: POST only
                response = client.post(url, {})
            if response.status_code != 403:
                wrong.append(f"{persona} {name}: {response.status_code}")
    assert not wrong, wrong


# ---- a category that puts a school on the register is held back like the entry ------------------------------

RED_PERSONAS = ("officer", "board", "clusterlead", "clusterofficer", "head", "governor", "partner", "admin")
# Who sees RED for each school while its register entry is confidential, and once a warning notice is issued.
# Own: the LA and its own people (head, governor); peer: the LA only (none of its people is a persona). After
# the notice on peer, everyone with full access to peer's data sees it (EXPECTED above).
RED_SEEN = {
    "confidential": {"own": {"officer", "admin", "head", "governor"}, "peer": {"officer", "admin"}},
    "notice": {
        "own": {"officer", "admin", "head", "governor"},
        "peer": {"officer", "admin", "board", "clusterlead", "clusterofficer", "head", "governor"},
    },
}


def _red_run(scene):
    """Calderdale's framework, a confirmed run of 2023-24 putting own and peer at RED (a register category),
    and their confidential register entries, as confirming does."""
    from categorisation.models import Result, Run
    from categorisation.selectors import published_version
    from categorisation.services import framework_clone
    from sharing.services import register_from_categorisation

    a, officer = scene.world.a, scene.users["officer"]
    version = published_version(framework_clone(actor=officer, partnership=a.partnership, source_slug="calderdale"))
    now = timezone.now()
    run = Run.objects.create(
        partnership=a.partnership,
        framework_version=version,
        academic_year="2023-24",
        status=Run.Status.DONE,
        total=2,
        done_count=2,
        confirmed_at=now,
        confirmed_by=officer,
        letters_status=Run.Letters.DONE,
    )
    for target in ("own", "peer"):
        Result.objects.create(
            partnership=a.partnership,
            run=run,
            school=scene.schools[target],
            framework_version=version,
            academic_year="2023-24",
            computed_category="RED",
            computed_at=now,
            status=Result.Status.CONFIRMED,
            confirmed_at=now,
            confirmed_by=officer,
        )
    register_from_categorisation(
        actor=officer,
        partnership=a.partnership,
        school_ids=[scene.schools["own"].pk, scene.schools["peer"].pk],
        reason="Calderdale 2023-24: RED.",
        added_on=timezone.localdate(),
    )
    return run


RED_LABEL = "High concern"  # Calderdale's RED, by its framework name


def _sees_red(client, scene, run, school) -> dict[str, bool]:
    """On each channel that shows a category: does the person see this school at RED?"""
    slug, urn = school.partnership.slug, school.urn
    run_kwargs = {"partnership_slug": slug, "run_uuid": run.uuid}
    result_url = reverse("categorisation_result", kwargs={**run_kwargs, "urn": urn})
    seen = {}
    seen["run"] = result_url in client.get(reverse("categorisation_run_detail", kwargs=run_kwargs)).content.decode()
    rows = _csv(client.get(reverse("categorisation_run_export", kwargs=run_kwargs)))
    seen["run_csv"] = any(r["urn"] == urn and r["computed_category"] == "RED" for r in rows)
    seen["result"] = client.get(result_url).status_code == 200
    listing = client.get(reverse("school_list", args=[slug]), {"category": "RED"})
    offered = listing.status_code == 200 and "category" not in listing.context["form"].errors
    seen["counts"] = offered and urn in {s.urn for s in listing.context["page"]}
    rows = _csv(client.get(reverse("school_export", args=[slug])))
    seen["export"] = any(r["urn"] == urn and r["category"] == "RED" for r in rows)
    api = client.get(reverse("api_school_categorisations", kwargs={"partnership_slug": slug, "urn": urn}))
    seen["api"] = api.status_code == 200 and any(r["category"] == "RED" for r in api.json()["results"])
    listed = client.get(reverse("api_categorisation_list", kwargs={"partnership_slug": slug}))
    seen["api_list"] = any(r["urn"] == urn and r["category"] == "RED" for r in listed.json().get("results", ()))
    history = client.get(reverse("categorisation_school", args=[slug, urn]))
    run_url = reverse("categorisation_run_detail", kwargs=run_kwargs)
    seen["history"] = history.status_code == 200 and run_url in history.content.decode()
    school_link = reverse("school_detail", args=[slug, urn])
    seen["page_category"] = RED_LABEL in _category_cell(client.get(school_link).content.decode())
    listing = client.get(reverse("school_list", args=[slug]), {"sort": "category"}).content.decode()
    seen["list_category"] = RED_LABEL in _row(listing, school_link)
    cluster = scene.world.a.cluster
    cluster_page = client.get(reverse("cluster_detail", args=[slug, cluster.slug])).content.decode()
    seen["cluster_category"] = RED_LABEL in _row(cluster_page, school_link)
    return seen


@pytest.mark.parametrize("when", ["confidential", "notice"])
@pytest.mark.parametrize("persona", RED_PERSONAS)
def test_a_register_category_is_held_back_like_its_entry(scene, client, persona, when):
    from sharing.models import ConcernRegisterEntry
    from sharing.services import register_notice_record

    run = _red_run(scene)
    if when == "notice":
        entry = ConcernRegisterEntry.objects.get(school=scene.schools["peer"])
        register_notice_record(
            actor=scene.users["officer"], entry=entry, issued_on=timezone.localdate(), reason="s60 notice, ref 7"
        )
    client.force_login(scene.users[persona])
    wrong = []
    for target in ("own", "peer"):
        expected = persona in RED_SEEN[when][target]
        for channel, seen in _sees_red(client, scene, run, scene.schools[target]).items():
            if seen != expected:
                wrong.append(f"{persona} × {target} × {channel}: sees RED {seen}, expected {expected}")
    assert not wrong, "\n".join(wrong)
