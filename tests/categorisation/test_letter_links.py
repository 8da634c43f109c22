"""A link to a letter is shown only to someone who may follow it: the pages ask the letter download's own
rule (``letters.can_read_letter``), so nobody is offered a link that answers "you do not have access"."""

from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from categorisation import runs
from sharing.models import MemorandumStatus, StrategicPartnerGrant
from sharing.services import memorandum_record, partner_grant

from .conftest import YEAR


@pytest.fixture
def confirmed(officer, rag, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_start(actor=officer, partnership=rag.partnership, framework_version=rag, academic_year=YEAR)
    with django_capture_on_commit_callbacks(execute=True):
        runs.results_confirm(actor=officer, run=run)
    run.refresh_from_db()
    return run


@pytest.fixture
def sharing(world, officer):
    """Both of A's schools sign the memorandum (so the board, the cluster roles and each school's peers read
    their results in full), and the strategic partner is granted full access to both."""
    a = world.a
    for school in (a.school, a.other_school):
        memorandum_record(
            actor=officer,
            school=school,
            status=MemorandumStatus.Status.SIGNED,
            signed_on=date(2022, 9, 20),
            governors_minute_ref="FGB 2022/14",
            data_controller=officer,
        )
    partner_grant(
        actor=officer,
        membership=a.users["partner"].memberships.get(partnership=a.partnership),
        schools=[a.school, a.other_school],
        access=StrategicPartnerGrant.Access.FULL,
        starts_on=timezone.localdate() - timedelta(days=1),
        reason="The board agreed to share.",
    )


def _urls(world, run, school):
    args = [world.a.partnership.slug, run.uuid, school.urn]
    return reverse("categorisation_result", args=args), reverse("categorisation_letter", args=args)


@pytest.mark.parametrize(
    ("persona", "which"),
    [("board", "school"), ("partner", "school"), ("head", "other_school"), ("clusterlead", "school")],
)
def test_who_may_not_download_the_letter_sees_the_result_but_no_link(world, login, confirmed, sharing, persona, which):
    school = getattr(world.a, which)
    page, letter = _urls(world, confirmed, school)
    client = login(world.a.users[persona])
    response = client.get(page)
    assert response.status_code == 200, response.content.decode()[:500]  # they read the result in full
    html = response.content.decode()
    assert school.name in html and "How the category was decided" in html
    assert letter not in html and "Download the letter" not in html
    refused = client.get(letter)
    assert refused.status_code == 403


@pytest.mark.parametrize(("persona", "which"), [("head", "school"), ("governor", "school"), ("officer", "school")])
def test_who_may_download_the_letter_gets_the_link_and_the_pdf(world, login, confirmed, persona, which):
    school = getattr(world.a, which)
    page, letter = _urls(world, confirmed, school)
    client = login(world.a.users[persona])
    html = client.get(page).content.decode()
    assert f'href="{letter}"' in html
    response = client.get(letter)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_the_run_page_offers_the_zip_and_the_letters_to_post_only_with_the_zips_own_rule(world, login, confirmed):
    run_page = reverse("categorisation_run_detail", args=[world.a.partnership.slug, confirmed.uuid])
    zip_url = reverse("categorisation_letters_zip", args=[world.a.partnership.slug, confirmed.uuid])
    _, to_post = _urls(world, confirmed, world.a.other_school)
    officer = login(world.a.users["officer"])
    html = officer.get(run_page).content.decode()
    assert f'href="{zip_url}"' in html and f'href="{to_post}"' in html
    assert officer.get(zip_url).status_code == 200 and officer.get(to_post).status_code == 200
    for persona in ("board", "head", "clusterlead"):
        client = login(world.a.users[persona])
        html = client.get(run_page).content.decode()
        assert zip_url not in html and to_post not in html
        assert client.get(zip_url).status_code == 403
