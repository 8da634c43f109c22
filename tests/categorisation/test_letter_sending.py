"""Confirmed letters are emailed to the school's headteacher and governors, once, with the PDF attached;
a letter with nobody to email says so, for an officer to post it."""

import pytest
from celery.exceptions import Retry
from django.core import mail

from categorisation import runs
from categorisation.letters import letters_send, letters_sending_summary
from categorisation.models import Letter, Result, Run
from partnership.models import AuditEvent
from people.models import Membership

from .conftest import YEAR


@pytest.fixture
def confirmed(officer, rag, data, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_start(actor=officer, partnership=rag.partnership, framework_version=rag, academic_year=YEAR)
    with django_capture_on_commit_callbacks(execute=True):
        runs.results_confirm(actor=officer, run=run)
    run.refresh_from_db()
    return run


def test_confirming_emails_each_letter_to_the_schools_head_and_governors(world, confirmed):
    head, governor = world.a.users["head"], world.a.users["governor"]
    assert len(mail.outbox) == 1, [m.to for m in mail.outbox]
    message = mail.outbox[0]
    assert sorted(message.to) == sorted([head.email, governor.email])
    assert world.a.school.name in message.subject and YEAR in message.subject
    ((filename, content, mimetype),) = message.attachments
    letter = Letter.objects.get(result__run=confirmed, result__school=world.a.school)
    assert (filename, mimetype) == (letter.filename, "application/pdf") and content == letter.read_pdf()
    assert letter.sent_at is not None and sorted(letter.sent_to.splitlines()) == sorted(message.to)
    # Nobody of another partnership, nor another role of this one, is sent a school's letter.
    others = {u.email for role, u in world.a.users.items() if role not in ("head", "governor")}
    assert not others & set(message.to)
    assert not {u.email for u in world.b.users.values()} & set(message.to)


def test_a_letter_with_nobody_to_email_is_left_for_an_officer_to_post(world, confirmed):
    letter = Letter.objects.get(result__run=confirmed, result__school=world.a.other_school)
    assert letter.sent_at is None and "post it" in letter.send_note
    assert letters_sending_summary(confirmed) == {"emailed": 1, "to_post": 1, "waiting": 0}
    audit = AuditEvent.objects.get(action="categorisation.letters.send")
    assert audit.after == {"emailed": 1, "to_post": 1}


def test_sending_again_sends_nothing_twice(world, confirmed):
    assert letters_send(run_id=confirmed.pk) == {"emailed": 0, "to_post": 0}
    assert len(mail.outbox) == 1


def test_a_mail_server_failure_releases_the_letter_for_the_next_attempt(
    world, officer, rag, data, monkeypatch, django_capture_on_commit_callbacks
):
    from django.core.mail import EmailMessage

    def down(self, *args, **kwargs):
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(EmailMessage, "send", down)
    with django_capture_on_commit_callbacks(execute=True):
        run = runs.run_start(actor=officer, partnership=rag.partnership, framework_version=rag, academic_year=YEAR)
    # The task retries later (in process, Celery says so by raising Retry).
    with pytest.raises(Retry, match="mail server down"):
        with django_capture_on_commit_callbacks(execute=True):
            runs.results_confirm(actor=officer, run=run)
    assert Run.objects.get(pk=run.pk).letters_status == "done"  # the PDFs are kept
    assert letters_sending_summary(run) == {"emailed": 0, "to_post": 0, "waiting": 2}
    monkeypatch.undo()
    assert letters_send(run_id=run.pk) == {"emailed": 1, "to_post": 1}
    assert len(mail.outbox) == 1 and letters_sending_summary(run) == {"emailed": 1, "to_post": 1, "waiting": 0}


def test_an_ended_membership_gets_no_letter(world, confirmed, officer):
    Membership.objects.filter(user=world.a.users["governor"]).update(ended_at=confirmed.confirmed_at)
    Letter.objects.filter(result__run=confirmed).update(sent_at=None, sent_to="", send_note="")
    mail.outbox.clear()
    letters_send(run_id=confirmed.pk)
    assert [m.to for m in mail.outbox] == [[world.a.users["head"].email]]
    assert Result.objects.filter(run=confirmed).count() == 2


def test_a_letter_claimed_by_a_worker_that_died_is_sent_by_the_next(world, confirmed):
    from datetime import timedelta

    from django.utils import timezone

    letter = Letter.objects.get(result__run=confirmed, result__school=world.a.school)
    mail.outbox.clear()
    # Claimed just now by a worker still sending: left alone.
    Letter.objects.filter(pk=letter.pk).update(sent_at=timezone.now(), sent_to="")
    assert letters_send(run_id=confirmed.pk) == {"emailed": 0, "to_post": 0} and not mail.outbox
    # Claimed two hours ago by a worker that never finished: sent now, once.
    Letter.objects.filter(pk=letter.pk).update(sent_at=timezone.now() - timedelta(hours=2))
    assert letters_send(run_id=confirmed.pk) == {"emailed": 1, "to_post": 0}
    assert len(mail.outbox) == 1 and Letter.objects.get(pk=letter.pk).sent_to


def test_the_run_page_lists_the_letters_to_post_for_officers_only(world, confirmed, login):
    from django.urls import reverse

    url = reverse("categorisation_run_detail", args=[world.a.partnership.slug, confirmed.uuid])
    page = login(world.a.users["officer"]).get(url).content.decode()
    assert "1 emailed to the school's headteacher and governors, 1 to post" in page
    assert "Letters to post (1)" in page and world.a.other_school.name in page
    head_page = login(world.a.users["head"]).get(url).content.decode()
    assert "Letters to post" not in head_page and "emailed" not in head_page


def test_the_run_page_logs_each_school_it_shows(world, confirmed, login):
    from django.urls import reverse

    from sharing.models import DataAccessLog

    url = reverse("categorisation_run_detail", args=[world.a.partnership.slug, confirmed.uuid])
    DataAccessLog.objects.all().delete()
    login(world.a.users["head"]).get(url)  # the head sees its own school only
    logged = list(DataAccessLog.objects.values_list("username", "school_id", "what"))
    assert logged == [(world.a.users["head"].username, world.a.school.pk, "categorisation run 2022-23")]
