"""A bid as its A1 paper form: a PDF whose sections are the form's, with the amounts to the penny and the
board's decision, for whoever may see the bid and nobody else."""

import shutil
import subprocess
from datetime import date

import pytest

from funding import services

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="needs poppler-utils (pdftotext)"),
]

SECTIONS = [
    "1. The applicant",
    "2. Purpose and reason for the bid",
    "3. Amounts by Ofsted area",
    "4. Period",
    "5. Budget position and match funding",
    "6. Brokering and procurement",
    "7. Success criteria",
    "8. Monitoring",
    "9. Evidence (EEF)",
    "10. Other funding",
    "Office use: the decision",
]


def pdf_text(data: bytes, tmp_path) -> str:
    source = tmp_path / "a1.pdf"
    source.write_bytes(data)
    done = subprocess.run(["pdftotext", str(source), "-"], check=True, capture_output=True, text=True)
    return " ".join(done.stdout.split())


def url(world, bid):
    return f"/p/{world.a.partnership.slug}/funding/bids/{bid.uuid}/a1.pdf"


def test_the_a1_has_the_forms_sections_and_the_decision(world, fund, draft, login, tmp_path):
    a = world.a
    services.bid_transition(actor=a.users["head"], bid=draft, action="submit")
    services.bid_transition(actor=a.users["clusterlead"], bid=draft, action="endorse", reason="Agreed")
    literacy, senior = draft.lines.get(area="literacy"), draft.lines.get(area="senior")
    services.bid_transition(
        actor=a.users["board"],
        bid=draft,
        action="part_approve",
        reason="Literacy first",
        amounts={literacy.uuid: "2000.00", senior.uuid: "0"},
        conditions="Report in March.",
        meeting_date=date(2022, 11, 10),
    )
    answer = login(a.users["head"]).get(url(world, draft))
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert "no-store" in answer["Cache-Control"]
    text = pdf_text(answer.content, tmp_path)
    positions = [text.find(section) for section in SECTIONS]
    assert -1 not in positions, [s for s, p in zip(SECTIONS, positions, strict=True) if p == -1]
    assert positions == sorted(positions), "the sections are in the form's order"
    assert "Phonics support" in text and a.school.name in text
    assert "Quality of teaching: literacy" in text and "£2,500.00" in text and "£3,500.00" in text
    assert "Approve in part at the board of 10 November 2022" in text and "Literacy first" in text
    assert "Amount approved £2,000.00" in text and "Report in March." in text
    assert "A school in the same cluster: Beta Primary" in text


def test_only_those_who_may_see_the_bid_get_its_a1(world, fund, draft, login):
    for role, status in (("officer", 200), ("board", 200), ("clusterlead", 200), ("governor", 200), ("partner", 404)):
        assert login(world.a.users[role]).get(url(world, draft)).status_code == status, role
    assert login(world.b.users["officer"]).get(url(world, draft)).status_code == 404


def test_the_a2_reports_each_strategy_with_its_under_or_overspend_and_the_judgement(
    world, fund, draft, login, tmp_path
):
    a = world.a
    steps = [
        ("head", "submit", {}),
        ("clusterlead", "endorse", {"reason": "Agreed"}),
        ("board", "approve", {"reason": "Yes"}),
        ("officer", "devolve", {}),
    ]
    for role, action, kwargs in steps:
        services.bid_transition(actor=a.users[role], bid=draft, action=action, **kwargs)
    assert login(a.users["head"]).get(url(world, draft).replace("a1", "a2")).status_code == 404
    services.bid_transition(
        actor=a.users["head"],
        bid=draft,
        action="report_impact",
        report={
            "final_summary": "Phonics screening rose from 61% to 79%.",
            "strategies": [
                {
                    "strategy": "Phonics lead",
                    "timescale": "Autumn term",
                    "impact": "Every class teaches phonics daily",
                    "planned": "2500.00",
                    "actual": "2460.00",
                },
                {
                    "strategy": "Leadership coaching",
                    "timescale": "Spring term",
                    "impact": "A new reading lead",
                    "deviation": "Another coach",
                    "rationale": "The agreed one left",
                    "planned": "1000.00",
                    "actual": "1015.00",
                },
            ],
        },
    )
    services.bid_transition(actor=a.users["officer"], bid=draft, action="close", reason="Met")
    answer = login(a.users["head"]).get(url(world, draft).replace("a1", "a2"))
    assert answer.status_code == 200 and "no-store" in answer["Cache-Control"]
    text = pdf_text(answer.content, tmp_path)
    for words in (
        "1. Strategies and their impact",
        "2. Final impact summary",
        "3. The LA's judgement",
        "−£40.00",
        "+£15.00",
        "£3,475.00",
        "Another coach: The agreed one left",
        "Phonics screening rose from 61% to 79%.",
        "The minimum impact was met.",
    ):
        assert words in text, words
    assert login(a.users["partner"]).get(url(world, draft).replace("a1", "a2")).status_code == 404
