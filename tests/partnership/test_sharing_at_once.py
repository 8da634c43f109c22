"""Two answers to the memorandum for one school at once, on real threads (SQLite and PostgreSQL): neither
answers 500, and the school is left with one current answer, the other kept in its history."""

import pytest
from django.urls import reverse

from sharing.models import MemorandumStatus
from tests.concurrency import at_once, meet_before, statuses
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_memorandum_answers_at_once_leave_one_current(world, monkeypatch):
    school = world.a.school
    other = UserFactory(username="second.officer")
    MembershipFactory(partnership=world.a.partnership, user=other, role="officer")
    url = reverse("sharing_memorandum", args=[world.a.partnership.slug, school.urn])
    meet_before(monkeypatch, MemorandumStatus)
    answers = at_once(
        [
            (world.a.users["officer"], url, {"status": "declined", "note": "The governors declined."}),
            (other, url, {"status": "declined", "note": "Declined at the meeting."}),
        ]
    )
    assert 500 not in statuses(answers) and set(statuses(answers)) <= {200, 302}, statuses(answers)
    history = MemorandumStatus.objects.filter(school=school)
    assert history.filter(superseded_at__isnull=True).count() == 1
    assert history.count() == statuses(answers).count(302)
