"""Words on pages: every demo role walks its partnership's pages (links from its home page, breadth first, a
few of each kind of page) and no page shows what only the code should know: sharing rule codes, audit action
codes, snake_case fact names, command-line flags, or Django's own default messages."""

import re

import pytest
from django.core.management import call_command

from categorisation.engine.facts import FACTS
from partnership.audit_changes import ACTION_LABELS
from partnership.roles import Role
from tests.crawl import crawl

pytestmark = pytest.mark.django_db

# The framework editor is where officers write conditions, in the fact names the condition language uses:
# there each name stands beside its description as the thing to type, so only there fact names may show.
CONDITION_LANGUAGE = re.compile(r"/categorisation/frameworks/[^/]+/edit/")


def forbidden_words(text: str, *, fact_names: bool = True) -> list[str]:
    found = []
    for fact in FACTS if fact_names else ():
        if "_" in fact and re.search(rf"\b{re.escape(fact)}\b", text):
            found.append(f"fact name {fact!r}")
    for code in ACTION_LABELS:
        if re.search(rf"(?<![\w.]){re.escape(code)}(?![\w.])", text):
            found.append(f"audit code {code!r}")
    match = re.search(r"rule:\s*[a-z-]+|(?<![\w/.-])[a-z]+(?:-[a-z]+)+:\s", text)
    if match:
        found.append(f"a sharing rule code {match.group(0)!r}")
    for pattern, what in (
        (r"(?<![\w-])--[a-z][a-z-]+", "a command-line flag"),
        (r"with this [A-Z][\w ]+ already exists|Constraint “\w+” is violated", "Django's default message"),
        (r"\b(?:True|False)\b|=\s*None\b", "a Python value"),
    ):
        match = re.search(pattern, text)
        if match:
            found.append(f"{what} {match.group(0)!r}")
    return found


def _words(url, response, parser) -> list[str]:
    if parser is None:
        return []
    text = " ".join(" ".join(parser.text).split())
    return forbidden_words(text, fact_names=not CONDITION_LANGUAGE.search(url))


def walk(client, start: str) -> dict[str, list[str]]:
    """Pages reached from ``start`` and what each shows that it should not."""
    return crawl(client, start, _words)


def test_the_words_checker_finds_what_it_looks_for():
    assert forbidden_words("Because you are an officer (rule: la-officer)")
    assert forbidden_words("Missing ofsted_grade")
    assert forbidden_words("Run again with --year 2018-19")
    assert forbidden_words("Framework with this Partnership and Slug already exists.")
    assert forbidden_words("safeguarding effective = True")
    assert not forbidden_words("Judged Requires Improvement at the inspection of 12 March 2019")


@pytest.mark.parametrize("role", Role.values)
def test_no_page_a_demo_role_reaches_shows_codes(client, role):
    call_command("load_demo")
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username=f"{role}.calderdale"))
    problems = walk(client, "/p/calderdale/")
    assert not problems, "\n".join(f"{url}: {', '.join(found)}" for url, found in problems.items())


def test_an_access_log_entry_gives_its_reason_without_the_rule_code():
    from sharing.models import DataAccessLog

    assert DataAccessLog(because="own-school: You are headteacher of Alpha.").reason == "You are headteacher of Alpha."
    assert DataAccessLog(because="Viewed by the LA: checking.").reason == "Viewed by the LA: checking."


PRODUCT_APPS = ("partnership", "schools", "people", "sharing", "categorisation", "funding", "escalation", "dashboards")


def test_every_constraint_refuses_in_words():
    """A save that would break a constraint answers with the model's sentence (WordedConstraints), never
    Django's "School with this Partnership and Urn already exists"."""
    from django.apps import apps

    from partnership.models import WordedConstraints

    missing = []
    for app in PRODUCT_APPS:
        for model in apps.get_app_config(app).get_models():
            for constraint in model._meta.constraints:
                words = getattr(model, "constraint_messages", {}).get(constraint.name)
                if not issubclass(model, WordedConstraints) or not words or forbidden_words(words):
                    missing.append(f"{model.__name__}.{constraint.name}")
    assert not missing, f"constraints with no sentence: {missing}"


def test_a_duplicate_says_what_is_wrong_in_words():
    from django.core.exceptions import ValidationError
    from django_scopes import scope

    from categorisation.services import framework_clone
    from schools.models import Cluster

    from .factories import MembershipFactory

    membership = MembershipFactory(role="officer")
    partnership, officer = membership.partnership, membership.user
    with scope(partnership=partnership):
        framework_clone(actor=officer, partnership=partnership, source_slug="calderdale")
        with pytest.raises(ValidationError) as refused:
            framework_clone(actor=officer, partnership=partnership, source_slug="calderdale")
        assert "already has a framework with this short name" in " ".join(refused.value.messages)
        Cluster.objects.create(partnership=partnership, name="North", slug="north")
        with pytest.raises(ValidationError) as refused:
            Cluster(partnership=partnership, name="North again", slug="north").full_clean()
        assert refused.value.messages == ["The partnership already has a cluster with this short name: choose another."]
