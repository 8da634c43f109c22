"""A burst of simultaneous sign-ins for one username checks no more passwords than the lockout allows."""

import threading
import time

import pytest
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import connections
from django.test import Client
from django.urls import reverse

from tests.factories import UserFactory

PASSWORD = "correct-horse-battery"
BURST = 30


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_sign_ins_checks_at_most_the_limit_and_never_fails(monkeypatch):
    UserFactory(username="burst.target")
    checked = []
    real_check = AbstractBaseUser.check_password

    def counting_check(user, raw_password):
        checked.append(raw_password)
        time.sleep(0.2)  # a real hasher takes this long: the window in which a burst overtakes the count
        return real_check(user, raw_password)

    monkeypatch.setattr(AbstractBaseUser, "check_password", counting_check)
    # 29 wrong guesses at once, then the right password: the guesses alone use up the limit, so
    # the right one is refused too. (A right password checked mid-burst would sign in and clear the
    # count, as it should: whoever holds it gains nothing from the burst.)
    passwords = [f"wrong-guess-{n}" for n in range(BURST - 1)]
    start = threading.Barrier(len(passwords))
    answers = [None] * len(passwords)

    def attempt(n):
        try:
            client = Client(raise_request_exception=False)
            start.wait()
            response = client.post(reverse("login"), {"username": "burst.target", "password": passwords[n]})
            answers[n] = response.status_code
        finally:
            connections.close_all()

    threads = [threading.Thread(target=attempt, args=(n,)) for n in range(len(passwords))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert len(checked) <= settings.AXES_FAILURE_LIMIT, f"{len(checked)} passwords checked"
    assert None not in answers and 500 not in answers, answers
    assert set(answers) <= {200, 429}, answers
    assert answers.count(429) >= len(passwords) - settings.AXES_FAILURE_LIMIT

    right = Client(raise_request_exception=False).post(
        reverse("login"), {"username": "burst.target", "password": PASSWORD}
    )
    assert right.status_code == 429
    assert PASSWORD not in checked
