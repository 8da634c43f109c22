"""The funding API: the same services and the same refusals as the pages, in the OpenAPI schema; who sees
which bids; a refused action answers 403 or 409 with the reason, never 500."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from funding import services
from funding.models import Bid

from .conftest import full_bid

pytestmark = pytest.mark.django_db


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def base(world):
    return f"/api/p/{world.a.partnership.slug}"


def test_funds_show_their_figures_and_allocations(world, fund, draft):
    answer = api(world.a.users["board"]).get(f"{base(world)}/funds/")
    assert answer.status_code == 200
    [shown] = answer.json()["results"]
    assert shown["id"] == str(fund.uuid) and shown["budget"] == "100000.00"
    assert shown["figures"]["available"] == "100000.00" and shown["figures"]["committed"] == "0.00"
    allocations = api(world.a.users["head"]).get(f"{base(world)}/funds/{fund.uuid}/allocations/")
    assert allocations.status_code == 200 and allocations.json()["allocations"] == []


def test_the_rate_card(world, rates):
    answer = api(world.a.users["head"]).get(f"{base(world)}/rate-card/")
    rows = {(r["staff_category"], r["unit"]): r["rate"] for r in answer.json()["results"]}
    assert rows[("Headteacher", "day")] == "450.00"


def test_a_head_creates_a_bid_costed_from_the_rate_card(world, fund, rates):
    body = {
        "fund": str(fund.uuid),
        "title": "Maths leadership",
        "school": world.a.school.urn,
        **{k: v for k, v in full_bid().items()},
        "lines": [
            {
                "area": "numeracy",
                "description": "Maths lead",
                "items": [
                    {"staff_category": "Headteacher", "unit": "day", "quantity": 2},
                    {"staff_category": "Headteacher", "unit": "am", "quantity": 1, "rate": "300.00"},
                ],
            },
            {"area": "governance", "requested": "150.50"},
        ],
    }
    answer = api(world.a.users["head"]).post(f"{base(world)}/bids/", body, format="json")
    assert answer.status_code == 201, answer.json()
    bid = answer.json()
    lines = {line["area"]: line for line in bid["lines"]}
    assert lines["numeracy"]["requested"] == "1125.00" and lines["numeracy"]["paid_by_school"] == "75.00"
    assert lines["governance"]["requested"] == "150.50"
    assert bid["state"] == "draft" and "submit" in bid["actions"]


def test_bad_input_is_a_400_that_says_what_and_saves_nothing(world, fund):
    client = api(world.a.users["head"])
    answer = client.post(f"{base(world)}/bids/", {"fund": str(fund.uuid), "title": "x", "lines": []}, format="json")
    assert answer.status_code == 400 and "lines" in answer.json()
    answer = client.post(
        f"{base(world)}/bids/",
        {"fund": str(fund.uuid), "title": "x", "school": "999999", "lines": [{"area": "other", "requested": "1"}]},
        format="json",
    )
    assert answer.status_code == 400 and answer.json() == {"school": ["The partnership has no school with this URN."]}
    assert not Bid.objects.exists()


def test_writing_for_another_school_is_a_403_with_the_reason(world, fund):
    answer = api(world.a.users["head"]).post(
        f"{base(world)}/bids/",
        {
            "fund": str(fund.uuid),
            "title": "x",
            "school": world.a.other_school.urn,
            "lines": [{"area": "other", "requested": "1"}],
        },
        format="json",
    )
    assert answer.status_code == 403
    assert answer.json()["detail"] == f"You write bids for your own school only, not for {world.a.other_school.name}."


def test_actions_through_the_api_walk_a_bid_and_refuse_with_403_or_409(world, fund, draft):
    url = f"{base(world)}/bids/{draft.uuid}/actions"
    assert api(world.a.users["head"]).post(f"{url}/submit/", {}, format="json").status_code == 200
    # The board cannot endorse (403, why); the cluster lead must give a reason (409, why).
    refused = api(world.a.users["board"]).post(f"{url}/endorse/", {"reason": "x"}, format="json")
    assert refused.status_code == 403 and refused.json()["detail"] == (
        "Only a cluster lead can endorse it for the board."
    )
    refused = api(world.a.users["clusterlead"]).post(f"{url}/endorse/", {}, format="json")
    assert refused.status_code == 409 and refused.json()["detail"] == "Give a reason to endorse it for the board."
    assert (
        api(world.a.users["clusterlead"]).post(f"{url}/endorse/", {"reason": "Good"}, format="json").status_code == 200
    )
    literacy = draft.lines.get(area="literacy")
    senior = draft.lines.get(area="senior")
    fund.budget = Decimal("1000.00")
    fund.save()
    too_much = api(world.a.users["board"]).post(f"{url}/approve/", {"reason": "Yes"}, format="json")
    assert too_much.status_code == 409
    assert "would overcommit" in too_much.json()["detail"] and "£1,000.00 is left" in too_much.json()["detail"]
    decided = api(world.a.users["board"]).post(
        f"{url}/part_approve/",
        {
            "reason": "Literacy only",
            "amounts": {str(literacy.uuid): "1000.00", str(senior.uuid): "0"},
            "meeting_date": "2022-11-10",
        },
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    body = decided.json()
    assert body["state"] == "part_approved" and body["meeting_date"] == "2022-11-10"
    assert {line["area"]: line["approved"] for line in body["lines"]} == {"literacy": "1000.00", "senior": "0.00"}
    funds = api(world.a.users["board"]).get(f"{base(world)}/funds/").json()["results"]
    assert funds[0]["figures"]["available"] == "0.00"
    assert api(world.a.users["board"]).post(f"{url}/pay_twice/", {}, format="json").status_code == 404


def test_who_sees_which_bids(world, fund, draft):
    other_cluster_bid = services.bid_create(
        actor=world.a.users["officer"],
        fund=fund,
        title="Another cluster's",
        cluster=None,
        school=world.a.other_school,
        lines=[{"area": "other", "requested": "1"}],
        **full_bid(),
    )
    Bid.objects.filter(pk=other_cluster_bid.pk).update(cluster=None)

    def seen(role):
        answer = api(world.a.users[role]).get(f"{base(world)}/bids/")
        assert answer.status_code == 200
        return {b["title"] for b in answer.json()["results"]}

    everything = {"Phonics support", "Another cluster's"}
    assert seen("officer") == everything and seen("board") == everything
    assert seen("head") == {"Phonics support"} and seen("governor") == {"Phonics support"}
    assert seen("clusterlead") == {"Phonics support"} and seen("clusterofficer") == {"Phonics support"}
    assert seen("partner") == set()
    hidden = api(world.a.users["partner"]).get(f"{base(world)}/bids/{draft.uuid}/")
    assert hidden.status_code == 404
    assert api(world.a.users["partner"]).post(f"{base(world)}/bids/{draft.uuid}/actions/submit/").status_code == 404


def test_another_partnerships_people_get_404(world, fund, draft):
    for role in ("officer", "board", "head"):
        client = api(world.b.users[role])
        assert client.get(f"{base(world)}/bids/{draft.uuid}/").status_code == 404
        own_slug = f"/api/p/{world.b.partnership.slug}"
        assert client.get(f"{own_slug}/bids/{draft.uuid}/").status_code == 404
        assert client.post(f"{own_slug}/bids/{draft.uuid}/actions/submit/").status_code == 404
        assert client.get(f"{own_slug}/funds/{fund.uuid}/allocations/").status_code == 404


def test_the_impact_report_is_filed_with_its_action(world, fund, draft):
    a = world.a
    for role, action, kwargs in (
        ("head", "submit", {}),
        ("clusterlead", "endorse", {"reason": "Agreed"}),
        ("board", "approve", {"reason": "Yes"}),
        ("officer", "devolve", {}),
    ):
        services.bid_transition(actor=a.users[role], bid=draft, action=action, **kwargs)
    url = f"{base(world)}/bids/{draft.uuid}/actions/report_impact/"
    missing = api(a.users["head"]).post(url, {}, format="json")
    assert missing.status_code == 409 and missing.json()["detail"].startswith("File the impact report")
    report = {
        "final_summary": "Reading rose.",
        "strategies": [
            {
                "strategy": "Phonics",
                "timescale": "Autumn",
                "impact": "Better",
                "planned": "3500.00",
                "actual": "3400.00",
            }
        ],
    }
    filed = api(a.users["head"]).post(url, {"report": report}, format="json")
    assert filed.status_code == 200 and filed.json()["state"] == "impact_reported"
    funds = api(a.users["board"]).get(f"{base(world)}/funds/").json()["results"]
    assert funds[0]["figures"]["spent"] == "3400.00"


@pytest.mark.usefixtures("quick_letters")
def test_bids_from_priority_schools_are_marked_without_revealing_a_held_back_category(client):
    """In the demo, Calderdale's board targets RED and AMBER. A bid from a school whose confirmed RED is held
    back (confidential on the register) is priority to the LA, but not to a board member, who may not know
    the school is RED; a bid from a public RED school is priority to both."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from categorisation.models import Result
    from funding.models import Fund
    from sharing.models import ConcernRegisterEntry

    call_command("load_demo")
    users = get_user_model().objects
    officer, board = users.get(username="officer.calderdale"), users.get(username="board.calderdale")
    fund = Fund.objects.get(partnership__slug="calderdale")
    confirmed = Result.objects.filter(partnership=fund.partnership, status="confirmed")
    red = {r.school_id for r in confirmed.filter(final_category="RED")}
    entries = [e for e in ConcernRegisterEntry.objects.filter(school_id__in=red).select_related("school") if e.is_open]
    confidential = next(e.school for e in entries if e.is_confidential)
    public = next(e.school for e in entries if not e.is_confidential)
    green = confirmed.filter(final_category="GREEN").first().school
    made = {}
    for school in (confidential, public, green):
        bid = services.bid_create(
            actor=officer,
            fund=fund,
            title=f"For {school.name}",
            school=school,
            lines=[{"area": "other", "requested": "10"}],
        )
        made[school.pk] = str(bid.uuid)

    def marked(user):
        answer = api(user).get("/api/p/calderdale/bids/")
        shown = {b["id"]: b["priority"] for b in answer.json()["results"]}
        page = 2
        while answer.json()["next"]:
            answer = api(user).get(f"/api/p/calderdale/bids/?page={page}")
            shown |= {b["id"]: b["priority"] for b in answer.json()["results"]}
            page += 1
        return {pk: shown[uuid] for pk, uuid in made.items()}

    assert marked(officer) == {confidential.pk: True, public.pk: True, green.pk: False}
    assert marked(board) == {confidential.pk: False, public.pk: True, green.pk: False}
    detail = api(board).get(f"/api/p/calderdale/bids/{made[public.pk]}/").json()
    assert detail["priority"] is True
