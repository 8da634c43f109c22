from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.utils import timezone

from demo.data import CALDERDALE_CLUSTERS, DEMO_PASSWORD
from partnership.models import Partnership
from partnership.roles import Role
from people.models import Membership
from schools.models import Cluster, ClusterMembership, School

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("quick_letters")]


def counts():
    return [m.objects.count() for m in (Partnership, School, Cluster, ClusterMembership, Membership)]


def test_load_demo_is_safe_to_run_twice(client):
    call_command("load_demo")
    first = counts()
    call_command("load_demo")
    assert counts() == first
    assert Partnership.objects.count() >= 3


def test_calderdale_has_its_eight_real_clusters_with_associates():
    call_command("load_demo")
    calderdale = Partnership.objects.get(slug="calderdale")
    clusters = Cluster.objects.for_partnership(calderdale)
    assert sorted(clusters.values_list("name", flat=True)) == sorted(CALDERDALE_CLUSTERS)
    ravenscliffe = School.objects.for_partnership(calderdale).get(name="Ravenscliffe High School & Sports College")
    kinds = dict(ravenscliffe.cluster_memberships.values_list("cluster__name", "kind"))
    assert kinds == {"Specialist Provision Cluster (SPC)": "full", "Secondary Cluster": "associate"}


def test_one_account_per_role_per_partnership_and_admin(client):
    call_command("load_demo")
    for slug in ("calderdale", "oldham", "milton-keynes"):
        for role in Role.values:
            username = f"{role}.{slug}"
            membership = (
                Membership.objects.active()
                .select_related("user")
                .get(user__username=username, role=role, partnership__slug=slug)
            )
            assert membership.user.check_password(DEMO_PASSWORD), username
    response = client.post("/accounts/login/", {"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 302


def test_an_officer_can_categorise_the_calderdale_demo_at_once(django_capture_on_commit_callbacks):
    """Every school has the data to be categorised in both demo years, and each category comes up."""
    from collections import Counter

    from django.contrib.auth import get_user_model

    from categorisation import runs
    from categorisation.models import Framework, Result
    from categorisation.selectors import published_version

    call_command("load_demo")
    calderdale = Partnership.objects.get(slug="calderdale")
    version = published_version(Framework.objects.for_partnership(calderdale).get(slug="calderdale"))
    officer = get_user_model().objects.get(username="officer.calderdale")
    for year, reason in (("2017-18", "Checking the confirmed year again."), ("2018-19", "")):
        with django_capture_on_commit_callbacks(execute=True):
            run = runs.run_start(
                actor=officer, partnership=calderdale, framework_version=version, academic_year=year, reason=reason
            )
        categories = Counter(Result.objects.filter(run=run).values_list("computed_category", flat=True))
        assert sum(categories.values()) == School.objects.for_partnership(calderdale).count()
        assert categories["GREEN"] and categories["AMBER"] and categories["RED"], (year, categories)
        assert categories[None] <= 1, (year, categories)


def demo_runs(slug):
    from categorisation.models import Run

    partnership = Partnership.objects.get(slug=slug)
    by_year = {run.academic_year: run for run in Run.objects.for_partnership(partnership)}
    assert sorted(by_year) == ["2017-18", "2018-19"], slug
    return partnership, by_year["2017-18"], by_year["2018-19"]


def test_the_demo_has_a_confirmed_earlier_year_with_its_letters_and_a_provisional_latest_year():
    from django.contrib.auth import get_user_model

    from categorisation.models import Letter, Result, Run
    from partnership.models import AuditEvent

    call_command("load_demo")
    call_command("load_demo")  # loading again adds no run, result or letter
    for slug in ("calderdale", "oldham", "milton-keynes"):
        partnership, earlier, latest = demo_runs(slug)
        officer = get_user_model().objects.get(username=f"officer.{slug}")
        schools = School.objects.for_partnership(partnership).count()
        assert earlier.status == Run.Status.DONE and earlier.confirmed_by == officer
        assert earlier.letters_status == Run.Letters.DONE
        confirmed = Result.objects.filter(run=earlier)
        assert confirmed.count() == schools
        assert set(confirmed.values_list("status", flat=True)) == {Result.Status.CONFIRMED}
        assert not confirmed.filter(final_category="").exists()
        letters = Letter.objects.filter(result__run=earlier)
        assert letters.count() == schools, slug
        for letter in letters:
            assert letter.file.storage.exists(letter.file.name), letter.filename
            assert letter.read_pdf().startswith(b"%PDF")
        # the head's school's letter was emailed to its headteacher and governor; the others are to be posted
        assert letters.exclude(sent_to="").count() == 1 and letters.exclude(send_note="").count() == schools - 1

        assert latest.status == Run.Status.DONE and latest.confirmed_at is None and latest.started_by == officer
        provisional = Result.objects.filter(run=latest)
        assert provisional.count() == schools
        assert set(provisional.values_list("status", flat=True)) == {Result.Status.PROVISIONAL}
        assert not Letter.objects.filter(result__run=latest).exists()
        done_by = set(
            AuditEvent.objects.filter(
                partnership=partnership,
                action__in=["categorisation.run.start", "categorisation.run.confirm"],
            ).values_list("action", "actor")
        )
        assert done_by == {("categorisation.run.start", officer.pk), ("categorisation.run.confirm", officer.pk)}


def test_the_head_finds_the_latest_year_waiting_for_the_school_self_assessment(client):
    call_command("load_demo")
    partnership, earlier, latest = demo_runs("calderdale")
    head = Membership.objects.for_partnership(partnership).select_related("school", "user").get(role=Role.HEAD)
    client.force_login(head.user)
    page = client.get(f"/p/calderdale/categorisation/runs/{latest.uuid}/schools/{head.school.urn}/")
    assert page.status_code == 200
    assert "self-assess" in page.content.decode().lower()


def test_a_confidential_red_school_is_held_back_from_the_board_and_a_public_one_is_not():
    from django.contrib.auth import get_user_model

    from categorisation.models import Result
    from categorisation.selectors import held_back_school_ids, is_held_back, latest_results, own_school_ids
    from sharing.grants import visible_school_ids
    from sharing.models import ConcernRegisterEntry
    from sharing.rules import FULL, register_entries_visible_to

    call_command("load_demo")
    partnership, earlier, latest = demo_runs("calderdale")
    board = get_user_model().objects.get(username="board.calderdale")
    own = own_school_ids(Membership.objects.for_partnership(partnership).active().filter(user=board))
    full = visible_school_ids(board, partnership, FULL)
    red = Result.objects.filter(run=earlier, final_category="RED").select_related("school")
    entries = ConcernRegisterEntry.objects.for_partnership(partnership)
    # on the register by its categorisation alone, with no notice: confidential
    secret = entries.filter(
        reason_kind=ConcernRegisterEntry.ReasonKind.CATEGORISATION, warning_notice_issued_on__isnull=True
    )
    assert secret.count() >= 5
    confidential = red.get(school__name="St Malachy's Catholic Primary, A Voluntary Academy")
    assert secret.filter(school=confidential.school).exists()
    noticed = entries.get(warning_notice_issued_on__isnull=False)
    ofsted = entries.get(reason_kind=ConcernRegisterEntry.ReasonKind.OFSTED)
    public = [red.get(school=noticed.school), red.get(school=ofsted.school)]
    assert noticed.reason_kind == ConcernRegisterEntry.ReasonKind.CATEGORISATION and not noticed.is_confidential

    # the board has full access to all three schools: only the register's confidentiality holds one back
    assert {r.school_id for r in (confidential, *public)} <= full
    held = held_back_school_ids(earlier, own=own)
    assert confidential.school_id in held and is_held_back(confidential, own=own)
    assert not any(is_held_back(r, own=own) for r in public) and not held & {r.school_id for r in public}
    shown = latest_results(partnership, to_officer=False, school_ids=full, own=own)
    assert confidential.school_id not in shown
    assert all(shown[r.school_id]["category"] == "RED" for r in public), shown
    visible = set(register_entries_visible_to(board, partnership).values_list("school_id", flat=True))
    assert confidential.school_id not in visible and {noticed.school_id, ofsted.school_id} <= visible
    # the LA sees every one
    officer = get_user_model().objects.get(username="officer.calderdale")
    assert set(register_entries_visible_to(officer, partnership)) == set(entries)


def test_every_demo_role_finds_something_true_on_its_home_page(client):
    """After the demo loads: the head's letter and waiting self-assessment, the governor's letter, the board's
    provisional year, the officer's schools yet to self-assess and letters to post."""
    from categorisation.letters import letters_to_post

    call_command("load_demo")
    partnership, earlier, latest = demo_runs("calderdale")
    school = Membership.objects.for_partnership(partnership).get(role=Role.HEAD).school
    due = latest.self_assessment_due
    assert due >= timezone.localdate() + timedelta(days=14)
    letter_url = f"/p/calderdale/categorisation/runs/{earlier.uuid}/schools/{school.urn}/letter.pdf"
    result_url = f"/p/calderdale/categorisation/runs/{latest.uuid}/schools/{school.urn}/"

    def home(username):
        client.force_login(get_user_model().objects.get(username=username))
        page = client.get("/p/calderdale/")
        assert page.status_code == 200
        return page.content.decode()

    head = home("head.calderdale")
    assert f"Your school: {school.name}" in head.replace("&#x27;", "'")
    assert "Your self-assessment is waiting" in head and result_url in head
    assert "Download the 2017-18 categorisation letter" in head and letter_url in head
    governor = home("governor.calderdale")
    assert letter_url in governor and "Submit your self-assessment" not in governor
    board = home("board.calderdale")
    assert "The 2018-19 categorisation is finished and waits for the LA to confirm it" in board
    officer = home("officer.calderdale")
    schools = School.objects.for_partnership(partnership).count()
    assert f"{schools} schools yet to self-assess</strong> in the 2018-19 categorisation" in officer
    assert f"{len(letters_to_post(earlier))} letters to post</strong> from the 2017-18 categorisation" in officer


def test_calderdales_demo_fund_is_allocated_by_its_formula_with_bids_in_every_state():
    from decimal import Decimal

    from funding import money
    from funding.models import Allocation, Bid, Fund, RateCardRow

    call_command("load_demo")
    fund = Fund.objects.get(partnership__slug="calderdale", academic_year="2022-23")
    run = money.current_allocation(fund)
    allocations = list(Allocation.objects.filter(run=run).select_related("cluster"))
    assert len(allocations) == len(CALDERDALE_CLUSTERS)
    assert sum(a.amount for a in allocations) == run.total <= fund.budget
    # 19,000 lump sum, 3 GBP a pupil, 8,000 cluster officer and 2,000 fixed top-up, plus the pot's share (and
    # the specialist cluster's 5,000 more): every cluster's working adds up to its amount.
    for allocation in allocations:
        assert sum(Decimal(part["amount"]) for part in allocation.working) == allocation.amount
        per_pupil = next(p for p in allocation.working if p["label"] == "Per pupil")
        assert Decimal(per_pupil["amount"]) == 3 * allocation.pupils
    pot = sum(Decimal(p["amount"]) for a in allocations for p in a.working if p["label"].endswith("pupil numbers"))
    assert pot == Decimal("25000")
    states = set(Bid.objects.filter(fund=fund).values_list("state", flat=True))
    # Something waits on each role: a draft (head), submitted (cluster lead), endorsed (board), approved
    # (officer devolves), devolved (head reports), impact reported (officer judges).
    assert {
        "draft",
        "submitted",
        "endorsed",
        "approved",
        "devolved",
        "impact_reported",
        "closed",
        "rejected",
        "returned",
    } <= states
    assert RateCardRow.objects.filter(
        partnership=fund.partnership, staff_category="External consultant", unit="day"
    ).get().rate == Decimal("550.00")
    figures = money.fund_figures(fund)
    assert figures.committed == Decimal("900.00") and figures.devolved == Decimal("3300.00")
    call_command("load_demo")
    assert Fund.objects.filter(partnership__slug="calderdale").count() == 1
    assert set(Bid.objects.filter(fund=fund).values_list("state", flat=True)) == states
