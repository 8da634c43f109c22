"""The audit trail as an officer reads it: what each change changed, in words, filtered and paged."""

import copy
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone

from categorisation.selectors import published_version
from categorisation.services import framework_clone, framework_edit
from partnership.audit import audit_record
from partnership.audit_changes import ACTION_LABELS, action_label
from partnership.models import AuditEvent
from partnership.selectors import audit_changes

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def audit_url(world, **query):
    from urllib.parse import urlencode

    url = reverse("audit_list", args=[world.a.partnership.slug])
    return f"{url}?{urlencode(query)}" if query else url


def event(object_type, before, after):
    return SimpleNamespace(object_type=object_type, before=before, after=after)


# ---- what changed --------------------------------------------------------------------------------------


def test_an_edit_lists_only_the_fields_that_changed_by_their_labels():
    changes = audit_changes(
        event(
            "people.membership",
            {"role": "head", "school": "Alpha Primary", "ended_at": None, "reason": ""},
            {"role": "officer", "school": "Alpha Primary", "ended_at": "2024-01-02T09:30:00+00:00", "reason": None},
        )
    )
    assert [c.label for c in changes] == ["Role", "Ended at"]  # the unchanged school and blank reason are left out
    assert changes[0].old == "Headteacher" and changes[0].new == "LA officer"  # choices by their labels
    assert changes[1].old == "–" and changes[1].new == "2 Jan 2024 09:30"


def test_a_creation_lists_what_it_was_created_with_and_summarises_nested_values():
    changes = audit_changes(
        event("schools.school", None, {"name": "Alpha", "open": True, "phases": ["primary", "nursery"], "x": {}})
    )
    assert ("Name", "–", "Alpha") in changes and ("Open", "–", "Yes") in changes
    assert ("Phases", "–", "primary, nursery") in changes
    assert all(c.label != "X" for c in changes)  # nothing to say about an empty value


def test_a_framework_edit_reads_as_the_changes_made_not_the_definition(world):
    officer = world.a.users["officer"]
    version = published_version(
        framework_clone(actor=officer, partnership=world.a.partnership, source_slug="calderdale")
    )
    definition = copy.deepcopy(version.definition)
    red = definition["categories"][0]
    red["label"] = "Very high concern"
    red["criteria"][0]["when"]["value"] = 3
    removed = definition["categories"][1]["criteria"].pop()
    framework_edit(actor=officer, framework=version.framework, definition=definition, reason="Tightened.")
    draft_event = AuditEvent.objects.get(action="framework.edit")
    changes = audit_changes(draft_event)
    assert ("Definition › Categories › RED › Label", "High concern", "Very high concern") in changes
    criterion = red["criteria"][0]["id"]
    assert (
        f"Definition › Categories › RED › Criteria › {criterion} › When",
        "consecutive_ri ≥ 2",
        "consecutive_ri ≥ 3",
    ) in changes
    assert (f"Definition › Categories › AMBER › Criteria › {removed['id']}", removed["label"], "Removed") in changes
    assert ("Status", "–", "Draft") in changes  # a new draft: there was no version before

    html = login_officer(world).get(audit_url(world)).content.decode()
    text = re.sub(r"<[^>]+>", " ", html)  # what a reader sees: an option's value is not shown
    assert "Framework draft saved" in text and "Very high concern" in text
    assert "framework.edit" not in text and "{'" not in text and "&#x27;categories&#x27;" not in text


def login_officer(world):
    from django.test import Client

    client = Client()
    client.force_login(world.a.users["officer"])
    return client


def test_many_changes_are_cut_short_with_a_count():
    before = {f"f{i}": i for i in range(60)}
    after = {f"f{i}": i + 1 for i in range(60)}
    changes = audit_changes(event("schools.school", before, after))
    assert len(changes) == 41 and changes[-1].new == "and 20 more changes"


# ---- actions in words ----------------------------------------------------------------------------------


def _action_codes_in_the_code():
    codes = set()
    for path in ROOT.glob("*/**/*.py"):
        if ".venv" in path.parts or "tests" in path.parts or "migrations" in path.parts:
            continue
        codes.update(re.findall(r'action="([a-z_]+(?:\.[a-z_]+)+)"', path.read_text()))
    return codes


def test_every_action_the_services_write_has_a_plain_english_label():
    codes = _action_codes_in_the_code()
    assert "school.create" in codes and "framework.edit" in codes  # the scan finds them
    assert sorted(codes - set(ACTION_LABELS)) == []
    assert ACTION_LABELS["school.create"] == "School added"


@pytest.mark.parametrize(
    ("code", "label"),
    [
        ("school.create", "School added"),
        ("inspection.import_update", "Inspection changed by an import"),
        ("bid.create", "Bid added"),
        ("visit.reschedule", "Visit reschedule"),
        ("partnership_thing", "Partnership thing"),
        ("", "Change recorded"),
    ],
)
def test_an_unlisted_action_is_humanised_never_shown_as_its_code(code, label):
    assert action_label(code) == label
    assert "." not in action_label(code) and "_" not in action_label(code)


# ---- the page: filters, pages, the phone ---------------------------------------------------------------


@pytest.fixture
def trail(world):
    """Events across people, kinds, actions and days on partnership A, and one on B."""
    a, officer, head = world.a, world.a.users["officer"], world.a.users["head"]
    rows = [
        audit_record(
            actor=officer, partnership=a.partnership, obj=a.school, action="school.create", after={"name": "A"}
        ),
        audit_record(
            actor=head,
            partnership=a.partnership,
            obj=a.cluster,
            action="cluster.add_school",
            after={"school": "Alpha"},
            reason="Joined.",
        ),
        audit_record(
            actor=officer,
            partnership=a.partnership,
            obj=a.cluster,
            action="cluster.create",
            after={"name": "Old cluster"},
            reason="Long ago.",
        ),
    ]
    long_ago = timezone.now() - timedelta(days=400)
    AuditEvent.objects.filter(pk=rows[2].pk).update(created_at=long_ago)
    audit_record(
        actor=world.b.users["officer"],
        partnership=world.b.partnership,
        obj=world.b.school,
        action="school.create",
        reason="Other partnership.",
    )
    return SimpleNamespace(long_ago=long_ago, officer=officer, head=head)


def reasons(response):
    return {e.reason for e in response.context["page"].object_list}


def test_filters_by_person_kind_action_and_date(world, login, trail):
    client = login(world.a.users["officer"])
    every = client.get(audit_url(world))
    assert "Other partnership." not in every.content.decode()
    assert {"Joined.", "Long ago."} <= reasons(every)
    assert reasons(client.get(audit_url(world, person=trail.head.username))) == {"Joined."}
    assert reasons(client.get(audit_url(world, object_type="schools.cluster"))) >= {"Joined.", "Long ago."}
    assert "" not in reasons(client.get(audit_url(world, object_type="schools.cluster")))
    assert reasons(client.get(audit_url(world, action="cluster.create"))) == {"Long ago."}
    day = timezone.localtime(trail.long_ago).date()
    assert reasons(client.get(audit_url(world, date_from=day.isoformat(), date_to=day.isoformat()))) == {"Long ago."}
    recent = reasons(client.get(audit_url(world, date_from=(day + timedelta(days=1)).isoformat())))
    assert "Long ago." not in recent and "Joined." in recent


def test_the_filter_offers_people_by_name_and_actions_in_words(world, login, trail):
    html = login(world.a.users["officer"]).get(audit_url(world)).content.decode()
    head = trail.head
    assert f'<option value="{head.username}">{head.get_full_name()} ({head.username})</option>' in html
    assert '<option value="cluster.add_school">School added to a cluster</option>' in html
    assert '<option value="schools.cluster">Cluster</option>' in html
    assert world.b.users["officer"].username not in html  # another partnership's people are not offered


def test_a_wrong_filter_says_what_is_wrong_and_filters_by_the_rest(world, login, trail):
    client = login(world.a.users["officer"])
    response = client.get(audit_url(world, date_from="2024-05-02", date_to="2024-05-01", action="cluster.create"))
    html = response.content.decode()
    assert "There is a problem" in html and "must be the same as or after the &#x27;from&#x27; date" in html
    assert reasons(response) == {"Long ago."}  # the valid action filter still applies
    unknown = client.get(audit_url(world, person=world.b.users["officer"].username))
    assert "not in this trail" in unknown.content.decode()


def test_pages_of_fifty_keep_the_filters(world, login):
    officer = world.a.users["officer"]
    for i in range(120):
        audit_record(
            actor=officer,
            partnership=world.a.partnership,
            obj=world.a.school,
            action="school.update",
            before={"pupils": i},
            after={"pupils": i + 1},
        )
    client = login(officer)
    first = client.get(audit_url(world, action="school.update"))
    assert len(first.context["page"].object_list) == 50
    assert first.context["page"].paginator.num_pages == 3
    assert "action=school.update&amp;page=2" in first.content.decode()
    last = client.get(audit_url(world, action="school.update", page=3))
    assert len(last.context["page"].object_list) == 20


def test_the_audit_page_queries_stay_bounded(world, login, django_assert_max_num_queries):
    officer = world.a.users["officer"]
    for i in range(60):
        audit_record(
            actor=officer,
            partnership=world.a.partnership,
            obj=world.a.school,
            action=f"school.thing{i % 7}",
            before={"pupils": i},
            after={"pupils": i + 1},
        )
        audit_record(
            actor=world.a.users["head"],
            partnership=world.a.partnership,
            obj=world.a.cluster,
            action="cluster.create",
            after={"name": str(i)},
        )
    client = login(officer)
    with django_assert_max_num_queries(13):
        assert client.get(audit_url(world)).status_code == 200
    with django_assert_max_num_queries(13):
        assert client.get(audit_url(world, person=officer.username, date_from="2020-01-01", page=2)).status_code == 200


def test_on_a_phone_the_trail_is_stacked_rows_each_cell_labelled(world, login, trail):
    html = login(world.a.users["officer"]).get(audit_url(world)).content.decode()
    assert '<table class="govuk-table app-table--stack">' in html
    for label in ("When", "Who", "What", "Changes", "Why"):
        assert f'data-label="{label}"' in html
    css = (ROOT / "static/css/app.css").read_text()
    stacked = css[css.index("@media (max-width: 48.0525em)") :]
    assert ".app-table--stack .govuk-table__row" in stacked and "display: block" in stacked
    assert ".app-changes li { margin-bottom: 5px; overflow-wrap: break-word; }" in css


def test_a_schools_trail_shows_the_change_and_who_by_name(world, login):
    officer = world.a.users["officer"]
    audit_record(
        actor=officer,
        partnership=world.a.partnership,
        obj=world.a.school,
        action="school.update",
        before={"pupils": 200, "name": "Same"},
        after={"pupils": 210, "name": "Same"},
        reason="Census.",
    )
    html = (
        login(officer)
        .get(reverse("school_detail", args=[world.a.partnership.slug, world.a.school.urn]))
        .content.decode()
    )
    assert "School changed" in html and officer.get_full_name() in html
    assert re.search(r"Pupils</span>: <span class=\"govuk-visually-hidden\">from </span>200 .*?210", html)
    assert "Same" not in html.split("Census.")[0].split("School changed")[1]
