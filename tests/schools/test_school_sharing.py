"""The school page follows the sharing rules: the LA's judgements only with full access, logged."""

import pytest
from django.urls import reverse

from schools.models import LocalIndicator
from sharing.models import DataAccessLog

pytestmark = pytest.mark.django_db


@pytest.fixture
def judged(world):
    for school in (world.a.school, world.a.other_school):
        LocalIndicator.objects.create(
            partnership=world.a.partnership,
            school=school,
            academic_year="2018-19",
            sef_validated_grade=2,
            finance_concern="serious",
            complaints=3,
        )
    return world


def page(client, world, school):
    return client.get(reverse("school_detail", args=[world.a.partnership.slug, school.urn]))


def test_own_head_sees_the_judgements_and_the_view_is_logged(judged, login):
    world = judged
    response = page(login(world.a.users["head"]), world, world.a.school)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Serious concern" in body
    log = DataAccessLog.objects.get(school=world.a.school)
    assert log.username == "head.alpha" and "own-school" in log.because


def test_a_headline_viewer_gets_the_headline_and_a_clear_message(judged, login):
    world = judged
    response = page(login(world.a.users["head"]), world, world.a.other_school)
    body = response.content.decode()
    assert response.status_code == 200
    assert world.a.other_school.name in body
    assert "Serious concern" not in body
    assert "not its detailed data" in body
    assert not DataAccessLog.objects.filter(school=world.a.other_school).exists()


def test_la_officer_sees_every_schools_judgements(judged, login):
    world = judged
    client = login(world.a.users["officer"])
    for school in (world.a.school, world.a.other_school):
        assert "Serious concern" in page(client, world, school).content.decode()
    assert DataAccessLog.objects.filter(username="officer.alpha").count() == 2
