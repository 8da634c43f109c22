"""Signing in, out, password change and reset, throttling and session expiry."""

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def sign_in(client, username, password=PASSWORD):
    return client.post(reverse("login"), {"username": username, "password": password})


def test_sign_in_and_out(world, client):
    response = sign_in(client, "head.alpha")
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).status_code == 302  # on to the partnership
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(f"/p/{world.a.partnership.slug}/").status_code == 302


def test_wrong_password_is_explained(world, client):
    response = sign_in(client, "head.alpha", "wrong-password")
    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()


def test_repeated_failures_lock_the_username_out(world, client):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in(client, "head.alpha", "wrong-password")
    locked = sign_in(client, "head.alpha")  # even the right password
    assert locked.status_code == 429
    assert "too many times" in locked.content.decode()
    assert sign_in(client, "board.alpha").status_code == 302  # others are unaffected


def test_sessions_expire(world, client):
    sign_in(client, "head.alpha")
    assert client.session.get_expiry_age() == 8 * 60 * 60
    assert client.session.get_expire_at_browser_close()


def test_password_change(world, client):
    sign_in(client, "head.alpha")
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "another-long-passphrase",
            "new_password2": "another-long-passphrase",
        },
    )
    assert response.status_code == 302
    client.post(reverse("logout"))
    assert sign_in(client, "head.alpha", "another-long-passphrase").status_code == 302


def test_password_reset_sends_a_one_time_link(world, client, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": world.a.users["head"].email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    link = next(line for line in mailoutbox[0].body.splitlines() if "/accounts/reset/" in line)
    form = client.get(link.split("testserver", 1)[1], follow=True)
    assert "Choose a new password" in form.content.decode()
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": "reset-long-passphrase", "new_password2": "reset-long-passphrase"}
    )
    assert done.status_code == 302
    assert sign_in(client, "head.alpha", "reset-long-passphrase").status_code == 302


def test_email_goes_to_the_console_by_default():
    from config.settings import base

    assert base.EMAIL_BACKEND == "django.core.mail.backends.console.EmailBackend"


def test_api_me_with_a_token(world, client):
    from rest_framework.authtoken.models import Token

    token = Token.objects.create(user=world.a.users["head"])
    response = client.get(reverse("api_me"), HTTP_AUTHORIZATION=f"Token {token.key}")
    assert response.status_code == 200
    data = response.json()
    assert data["username"] == "head.alpha"
    assert [(m["partnership"], m["role"], m["school_urn"]) for m in data["memberships"]] == [
        ("alpha", "head", world.a.school.urn)
    ]
    assert client.get(reverse("api_me")).status_code in (401, 403)
