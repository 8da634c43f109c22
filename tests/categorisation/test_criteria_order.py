"""Reordering the criteria of a category in the framework editor (views.framework_parts.framework_criterion_move
and services.framework_criterion_move).

The category page lists its criteria with a small "Move up" / "Move down" form each. A move changes the
draft only (a first move makes the draft; the version in use never changes), is audited, and is refused
for a draft changed since the page was opened, for a move past either end, and for anyone but an officer.
Order matters: a result gives its reasons in the framework's order."""

import copy
from html.parser import HTMLParser

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from categorisation.engine import evaluate
from categorisation.models import FrameworkVersion
from categorisation.selectors import published_version
from categorisation.services import definition_revision, framework_criterion_move, framework_edit, framework_publish
from partnership.models import AuditEvent

from .conftest import RAG
from .html_forms import form_data

STALE = "The draft has changed since you opened this page"


def url(world, name, framework="rag", **kwargs):
    return reverse(
        f"categorisation_framework_{name}",
        kwargs={"partnership_slug": world.a.partnership.slug, "framework_slug": framework, **kwargs},
    )


def move_url(world, number, position):
    return url(world, "criterion_move", number=number, position=position)


def draft_of(version):
    return FrameworkVersion.objects.get(framework=version.framework, status="draft")


def no_draft(version) -> bool:
    return not FrameworkVersion.objects.filter(framework=version.framework, status="draft").exists()


def red_ids(definition) -> list[str]:
    return [c["id"] for c in definition["categories"][0]["criteria"]]


class _MoveForms(HTMLParser):
    """Each post form of the page with an action: (action, {hidden name: value}, button text)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[tuple[str, dict, str]] = []
        self.current: tuple[str, dict, list] | None = None
        self.in_button = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("method") == "post" and a.get("action"):
            self.current = (a["action"], {}, [])
        elif self.current and tag == "input" and a.get("type") == "hidden" and a["name"] != "csrfmiddlewaretoken":
            self.current[1][a["name"]] = a.get("value", "")
        elif self.current and tag == "button":
            self.in_button = True

    def handle_endtag(self, tag):
        if tag == "button":
            self.in_button = False
        elif tag == "form" and self.current:
            action, fields, text = self.current
            self.forms.append((action, fields, " ".join("".join(text).split())))
            self.current = None

    def handle_data(self, data):
        if self.in_button and self.current:
            self.current[2].append(data)


def move_forms(html: str, action_part: str = "/criteria/") -> list[tuple[str, dict, str]]:
    reader = _MoveForms()
    reader.feed(html)
    return [f for f in reader.forms if action_part in f[0]]


@pytest.fixture
def client(login, officer):
    return login(officer)


# ---- the page and a move -------------------------------------------------------------------------------


def test_each_criterion_has_move_buttons_naming_it_and_the_ends_have_none_past_them(world, client, rag):
    html = client.get(url(world, "category", number=1)).content.decode()
    assert 'id="criteria-order"' in html and 'href="#criteria-order"' in html
    forms = move_forms(html)
    revision = definition_revision(RAG)
    assert forms == [
        (
            move_url(world, 1, 1),
            {"revision": revision, "direction": "down"},
            "Move down criterion 1, Judged inadequate",
        ),
        (move_url(world, 1, 2), {"revision": revision, "direction": "up"}, "Move up criterion 2, Twice RI"),
    ]
    # The criterion is named for screen readers only; the button shows "Move up" / "Move down".
    assert (
        'Move down<span class="govuk-visually-hidden"> criterion 1, Judged inadequate</span></button>' in html
        and 'class="govuk-button govuk-button--secondary app-button--small"' in html
    )
    # The main form is still the page's first: the move forms come after it, not inside it.
    assert form_data(html)["code"] == "RED"
    # A single criterion has nothing to reorder; a new category has no saved criteria yet.
    assert "criteria-order" not in client.get(url(world, "category", number=3)).content.decode()
    assert "criteria-order" not in client.get(url(world, "category_add")).content.decode()


def test_move_a_criterion_up_saves_the_draft_audits_it_and_shows_the_new_order(
    world, client, rag, django_assert_max_num_queries
):
    page = url(world, "category", number=1)
    action, data, _ = move_forms(client.get(page).content.decode())[1]  # "Twice RI" up
    with django_assert_max_num_queries(36):  # session, membership, the lock, the save and the audit row
        response = client.post(action, data)
    assert response.status_code == 302 and response.url == page + "#order-1"

    draft = draft_of(rag)
    expected = copy.deepcopy(RAG)
    red = expected["categories"][0]["criteria"]
    red[0], red[1] = red[1], red[0]
    assert draft.definition == expected  # only the order of RED's criteria changed
    assert red_ids(draft.definition) == ["twice-ri", "inadequate"]
    event = AuditEvent.objects.get(action="framework.edit", object_id=str(draft.pk))
    assert event.actor_label == "officer.alpha"
    assert event.reason == "Moved criterion twice-ri up in category RED."
    # A new draft's row keeps the version it started from, so the trail shows only the move.
    assert red_ids(event.before["definition"]) == ["inadequate", "twice-ri"]
    assert red_ids(event.after["definition"]) == ["twice-ri", "inadequate"]

    html = client.get(page).content.decode()
    assert "Moved “Twice RI” up: it is now criterion 1 of 2 in category RED. The draft is saved." in html
    order = html[html.index('id="criteria-order"') :]
    assert order.index("Twice RI") < order.index("Judged inadequate")
    data = form_data(html)  # the criteria's own forms follow the new order too
    assert (data["criteria-0-label"], data["criteria-1-label"]) == ("Twice RI", "Judged inadequate")
    assert [f[2] for f in move_forms(html)] == [
        "Move down criterion 1, Twice RI",
        "Move up criterion 2, Judged inadequate",
    ]
    overview = client.get(url(world, "edit")).content.decode()
    assert overview.index("Twice RI") < overview.index("Judged inadequate")

    # The order is the order of a result's reasons.
    facts = {"ofsted_grade": 4, "consecutive_ri": 2}
    before = [r for r in evaluate(RAG, facts).reasons if r.startswith("RED: ") and "=" in r]
    after = [r for r in evaluate(draft.definition, facts).reasons if r.startswith("RED: ") and "=" in r]
    assert before == ["RED: Judged inadequate (ofsted_grade=4)", "RED: Twice RI (consecutive_ri=2)"]
    assert after == list(reversed(before))


def test_a_second_move_goes_on_from_the_new_draft(world, client, rag):
    page = url(world, "category", number=2)
    action, data, text = move_forms(client.get(page).content.decode())[0]
    assert text == "Move down criterion 1, RI at the last inspection"
    assert client.post(action, data).status_code == 302
    action, data, text = move_forms(client.get(page).content.decode())[0]
    assert text == "Move down criterion 1, KS2 RWM below 60%" and data["revision"] != definition_revision(RAG)
    assert client.post(action, data).status_code == 302
    amber = draft_of(rag).definition["categories"][1]["criteria"]
    assert [c["id"] for c in amber] == ["ri", "rwm-low"]  # moved down and back again
    reasons = AuditEvent.objects.filter(action="framework.edit").order_by("pk").values_list("reason", flat=True)
    assert list(reasons)[-2:] == [
        "Moved criterion ri down in category AMBER.",
        "Moved criterion rwm-low down in category AMBER.",
    ]


# ---- refusals ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["head", "governor", "board", "clusterlead", "partner"])
def test_only_an_officer_moves_a_criterion(world, rag, role):
    client = Client()
    client.force_login(world.a.users[role])
    events = AuditEvent.objects.count()
    data = {"revision": definition_revision(RAG), "direction": "up"}
    assert client.post(move_url(world, 1, 2), data).status_code == 403
    assert no_draft(rag) and AuditEvent.objects.count() == events
    with pytest.raises(PermissionDenied):
        framework_criterion_move(
            actor=world.a.users[role], framework=rag.framework, code="RED", criterion_id="twice-ri", direction="up"
        )
    assert no_draft(rag)


def test_a_move_over_a_draft_changed_since_the_page_opened_is_refused(world, client, officer, rag):
    page = url(world, "category", number=1)
    action, data, _ = move_forms(client.get(page).content.decode())[1]
    someone = copy.deepcopy(RAG)
    someone["categories"][0]["label"] = "Changed meanwhile"
    framework_edit(actor=officer, framework=rag.framework, definition=someone, reason="Another tab")
    events = AuditEvent.objects.count()

    response = client.post(action, data, follow=True)
    assert response.redirect_chain == [(page + "#criteria-order", 302)]
    assert STALE in response.content.decode()
    assert draft_of(rag).definition == someone and AuditEvent.objects.count() == events

    # A crafted post with no revision at all is refused too: a position means nothing without it.
    html = client.post(action, {"direction": "up"}, follow=True).content.decode()
    assert "The page did not say which draft it showed, so nothing was moved." in html
    assert draft_of(rag).definition == someone and AuditEvent.objects.count() == events


def test_moves_past_either_end_are_refused_and_change_nothing(world, client, rag):
    revision = definition_revision(RAG)
    page = url(world, "category", number=1)
    response = client.post(move_url(world, 1, 1), {"revision": revision, "direction": "up"}, follow=True)
    assert response.redirect_chain == [(page + "#criteria-order", 302)]
    assert "“Judged inadequate” is already first in category RED, so nothing was moved." in response.content.decode()
    html = client.post(move_url(world, 1, 2), {"revision": revision, "direction": "down"}, follow=True).content
    assert "“Twice RI” is already last in category RED, so nothing was moved." in html.decode()
    html = client.post(move_url(world, 3, 1), {"revision": revision, "direction": "up"}, follow=True).content
    assert "“Good or outstanding” is already first in category GREEN" in html.decode()
    html = client.post(move_url(world, 1, 1), {"revision": revision, "direction": "sideways"}, follow=True).content
    assert "Move up or down." in html.decode()
    # No such criterion now (removed since the page was opened, say): back to the category with why.
    response = client.post(move_url(world, 1, 3), {"revision": revision, "direction": "up"}, follow=True)
    assert response.redirect_chain == [(page + "#criteria-order", 302)]
    assert "There is no criterion 3 in category RED now" in response.content.decode()
    # No such category: the same answer as any missing page.
    assert client.post(move_url(world, 4, 1), {"revision": revision, "direction": "up"}).status_code == 404
    assert client.post(move_url(world, 0, 1), {"revision": revision, "direction": "up"}).status_code == 404
    assert client.get(move_url(world, 1, 2)).status_code == 405  # a move is a POST
    assert no_draft(rag) and published_version(rag.framework).definition == RAG
    assert not AuditEvent.objects.filter(action="framework.edit", reason__startswith="Moved").exists()


def test_the_service_refuses_a_criterion_that_is_not_there(world, officer, rag):
    with pytest.raises(ValidationError) as caught:
        framework_criterion_move(
            actor=officer, framework=rag.framework, code="RED", criterion_id="ri", direction="up"
        )  # "ri" is AMBER's, not RED's
    assert caught.value.code == "stale" and "There is no criterion 'ri' in category RED" in caught.value.messages[0]
    with pytest.raises(ValidationError) as caught:
        framework_criterion_move(actor=officer, framework=rag.framework, code="BLUE", criterion_id="ri", direction="up")
    assert caught.value.code == "stale"
    assert no_draft(rag)


# ---- a published version is never changed ------------------------------------------------------------------


def test_a_published_version_is_never_changed_the_move_goes_to_a_draft(world, client, officer, rag):
    stamp = rag.updated_at
    action, data, _ = move_forms(client.get(url(world, "category", number=1)).content.decode())[1]
    assert client.post(action, data).status_code == 302
    rag.refresh_from_db()
    assert (rag.status, rag.number, rag.definition, rag.updated_at) == ("published", 1, RAG, stamp)
    assert red_ids(draft_of(rag).definition) == ["twice-ri", "inadequate"]

    # Published as version 2, that order is fixed too: the next move makes a new draft from it.
    v2 = framework_publish(actor=officer, framework=rag.framework, reason="New order")
    assert no_draft(rag)
    action, data, _ = move_forms(client.get(url(world, "category", number=1)).content.decode())[0]
    assert data == {"revision": definition_revision(v2.definition), "direction": "down"}
    assert client.post(action, data).status_code == 302
    v2.refresh_from_db()
    rag.refresh_from_db()
    assert red_ids(v2.definition) == ["twice-ri", "inadequate"] and v2.status == "published"
    assert red_ids(rag.definition) == ["inadequate", "twice-ri"]
    assert red_ids(draft_of(rag).definition) == ["inadequate", "twice-ri"]
    # A page opened on version 2 cannot move anything once the draft differs from it.
    html = client.post(action, data, follow=True).content.decode()
    assert STALE in html and red_ids(draft_of(rag).definition) == ["inadequate", "twice-ri"]
