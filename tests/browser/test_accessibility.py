"""The accessibility sweep: axe-core (vendored in tests/browser/vendor/axe-core/) in real Chromium on the pages each
demo role of Calderdale reaches, and signed out, at 1280px and on a 375px phone, reports no WCAG 2.2 AA violation.

Each role's pages are a fixed list (its home, the school list, a school, its cluster, the runs, a run, a result,
the service pages...) together with every page its home page and the main menu link to. Run it alone with
`python -m pytest tests/browser/test_accessibility.py`."""

from pathlib import Path
from urllib.parse import urlsplit

import pytest

from demo.data import DEMO_PASSWORD
from partnership.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).parent / "vendor/axe-core/axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (1280, 375)
SLUG = "calderdale"
# Links the sweep does not follow: files to download, the API and its documentation (Redoc's own page), the admin.
NOT_PAGES = (".csv", ".pdf", ".zip", ".json", "/api/", "/admin/", "/accounts/logout/")

RUN_AXE = """async (tags) => {
  const results = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return results.violations.map(v => ({
    id: v.id, help: v.help, targets: v.nodes.slice(0, 5).map(n => n.target.join(" ")),
  }));
}"""


def fixed_pages(role: str) -> list[str]:
    """The pages a role reaches from its home page and menus, named rather than found, so the sweep cannot shrink."""
    from categorisation.models import Framework, Result, Run
    from people.models import Membership
    from schools.models import Cluster, ImportRun, School
    from sharing.models import ConcernRegisterEntry, StrategicPartnerGrant, SupportRelationship

    p = f"/p/{SLUG}"
    service = [f"{p}/help/", f"{p}/privacy/", f"{p}/accessibility/", f"{p}/cookies/", "/accounts/password_change/"]
    membership = Membership.objects.filter(partnership__slug=SLUG, user__username=f"{role}.{SLUG}").first()
    grant = StrategicPartnerGrant.objects.filter(membership=membership, ended_at__isnull=True, access="full").first()
    school = (
        (membership and membership.school)
        or (grant and grant.school)
        or School.objects.filter(partnership__slug=SLUG).order_by("urn").first()
    )
    cluster = (membership and membership.cluster) or Cluster.objects.filter(partnership__slug=SLUG).order_by(
        "slug"
    ).first()
    run = Run.objects.filter(partnership__slug=SLUG, confirmed_at__isnull=False).order_by("-created_at").first()
    result = Result.objects.filter(run=run, school=school).first() if run else None
    pages = [f"{p}/", f"{p}/schools/", f"{p}/schools/{school.urn}/", f"{p}/clusters/", f"{p}/clusters/{cluster.slug}/"]
    pages += [f"{p}/categorisation/"]
    if run:
        pages.append(f"{p}/categorisation/runs/{run.uuid}/")
    if role != Role.PARTNER or grant:  # a partner sees a school's categorisation only through a full grant
        pages.append(f"{p}/categorisation/schools/{school.urn}/")
        if result:
            pages.append(f"{p}/categorisation/runs/{run.uuid}/schools/{school.urn}/")
    if role in (Role.OFFICER, Role.HEAD):
        pages += [f"{p}/sharing/", f"{p}/sharing/{school.urn}/"]
    if role == Role.OFFICER:
        framework = Framework.objects.filter(partnership__slug=SLUG).order_by("slug").first()
        edit = f"{p}/categorisation/frameworks/{framework.slug}/edit/"
        pages += [
            f"{p}/categorisation/runs/",
            f"{p}/people/",
            f"{p}/people/invite/",
            f"{p}/audit/",
            f"{p}/imports/",
            f"{p}/imports/new/",
        ]
        pages += [f"{p}/service-pages/", f"{p}/sharing/policy/", f"{p}/sharing/supports/new/"]
        pages += [f"{p}/sharing/partners/new/", f"{p}/sharing/register/new/", f"{p}/sharing/{school.urn}/memorandum/"]
        pages += [edit, f"{edit}details/", f"{edit}thresholds/", f"{edit}categories/1/"]
        pages += [f"{edit}categories/new/", f"{edit}json/", f"{p}/categorisation/frameworks/{framework.slug}/what-if/"]
        if run:
            pages.append(f"{p}/categorisation/runs/{run.uuid}/confirm/")
        person = Membership.objects.filter(partnership__slug=SLUG).order_by("pk").first()
        pages.append(f"{p}/people/{person.uuid}/")
        if imported := ImportRun.objects.filter(partnership__slug=SLUG).order_by("-created_at").first():
            pages.append(f"{p}/imports/{imported.uuid}/")
        if support := SupportRelationship.objects.filter(partnership__slug=SLUG, ended_at__isnull=True).first():
            pages.append(f"{p}/sharing/supports/{support.uuid}/end/")
        if grant := StrategicPartnerGrant.objects.filter(partnership__slug=SLUG, ended_at__isnull=True).first():
            pages.append(f"{p}/sharing/partners/{grant.uuid}/end/")
        if entry := ConcernRegisterEntry.objects.filter(partnership__slug=SLUG).first():
            pages.append(f"{p}/sharing/register/{entry.uuid}/notice/")
    return pages + service


SIGNED_OUT = ["/accounts/login/", "/accounts/password_reset/", "/accounts/password_reset/done/", "/help/", "/privacy/"]
SIGNED_OUT += ["/accessibility/", "/cookies/", "/accounts/reset/done/"]


def linked_pages(page, base: str) -> list[str]:
    """The pages the current page's main content and main menu link to, on this service."""
    hrefs = page.eval_on_selector_all("main a[href]:not([download]), nav a[href]", "links => links.map(a => a.href)")
    paths = []
    for href in hrefs:
        url = urlsplit(href)
        if f"{url.scheme}://{url.netloc}" != base or any(part in url.path for part in NOT_PAGES):
            continue
        paths.append(url.path + (f"?{url.query}" if url.query else ""))
    return paths


def sign_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/accounts/login/")
    page.get_by_label("Username or email address").fill(username)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def sweep(page, base: str, paths: list[str], who: str) -> list[str]:
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        for path in paths:
            response = page.goto(base + path)
            if response.status != 200:
                problems.append(f"{who} {path}: answered {response.status}")
                continue
            page.wait_for_load_state("networkidle")
            page.add_script_tag(path=str(AXE))
            for v in page.evaluate(RUN_AXE, TAGS):
                problems.append(f"{who} {width}px {path}: {v['id']} ({v['help']}) at {v['targets']}")
    return problems


@pytest.mark.parametrize("role", [*Role.values, None], ids=[*Role.values, "signed-out"])
def test_every_page_has_no_wcag_22_aa_violation_at_1280_and_375px(browser, live_server, demo, role):
    base = live_server.url
    # Playwright adds axe.min.js as an inline script: the policy refuses inline scripts, so this context bypasses
    # it (tests/browser/test_csp.py checks the policy itself).
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    context.set_default_timeout(60_000)
    page = context.new_page()
    try:
        if role is None:
            paths = SIGNED_OUT
        else:
            sign_in(page, base, f"{role}.{SLUG}")
            paths = fixed_pages(role)
            page.goto(f"{base}/p/{SLUG}/")
            paths += linked_pages(page, base)
        paths = list(dict.fromkeys(paths))
        problems = sweep(page, base, paths, role or "signed out")
        assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems)
        assert len(paths) >= (8 if role is None else 12), paths
    finally:
        context.close()


def test_the_sweep_finds_a_violation(browser, live_server, demo):
    """The sweep can fail: an image with no text alternative and a duplicated id are reported."""
    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.evaluate(
            "() => { const main = document.querySelector('main'); main.insertAdjacentHTML('beforeend',"
            ' \'<img src="/static/x.png"><input id="id_password" type="text">\'); }'
        )
        page.add_script_tag(path=str(AXE))
        ids = {v["id"] for v in page.evaluate(RUN_AXE, TAGS)}
        assert "image-alt" in ids, ids
    finally:
        context.close()
