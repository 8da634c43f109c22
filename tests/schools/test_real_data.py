"""The importers against the real DfE, GIAS and Ofsted files in ../shared/data (skipped when absent).

Expected values are read from the files here with the csv module, independently of the importers,
and compared with what the importers stored and what school_facts reports.
"""

import csv
from collections import Counter
from datetime import date
from decimal import Decimal

import pytest

from categorisation.facts import school_fact_context, school_facts
from schools.importers import run_import
from schools.models import Benchmark, Inspection, PerformanceResult, School
from tests.factories import SYSTEM, PartnershipFactory

from .conftest import shared_data

pytestmark = pytest.mark.django_db
CODES = {"", "SUPP", "NE", "NA", "NP", "LOWCOV", "NEW", "DNS", "X", "C"}
RAW = ("dfe-performance-tables-raw-la850-la936",)
FIVE = ("dfe-performance-tables-2016-2018", "five_las")
FIVE_LAS = ["353", "357", "359", "381", "826"]
GRADES = {"Outstanding": 1, "Good": 2, "Satisfactory": 3, "Requires Improvement": 3, "Inadequate": 4}


def expected(value: str):
    text = value.strip()
    return None if text.upper() in CODES else Decimal(text.rstrip("%"))


def number(value):
    """How school_facts prints a Decimal."""
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


def rows(path):
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def load(partnership, kind, path, **kwargs):
    result = run_import(
        actor=SYSTEM, partnership=partnership, kind=kind, data=path.read_bytes(), filename=path.name, **kwargs
    )
    assert result.ok, [str(e) for e in result.errors[:10]]
    return result


@pytest.fixture
def raw_partnership(db):
    return PartnershipFactory(slug="hants-surrey", name="Hampshire and Surrey", la_codes=["850", "936"])


def test_raw_gias_ks2_ks4_match_the_source(raw_partnership):
    p = raw_partnership
    gias = shared_data(*RAW, "gias", "gias_20220420_la850_la936_primary.csv")
    result = load(p, "gias", gias)
    assert result.summary["created"]["school"] == 1096 and result.summary["skipped_other_la"] == 0
    for path in sorted(shared_data(*RAW, "ks2").glob("*.csv")) + sorted(shared_data(*RAW, "ks4").glob("*.csv")):
        load(p, path.parent.name, path)
    # one LA row per LA and year, shared by KS2 and KS4
    assert Benchmark.objects.filter(partnership=p, level="la").count() == 6

    ks2 = shared_data(*RAW, "ks2", "2018-2019_850_ks2final.csv")
    stored = {
        r.school.urn: r
        for r in PerformanceResult.objects.filter(partnership=p, academic_year="2018-19").select_related("school")
    }
    checked = 0
    for row in rows(ks2):
        if row["RECTYPE"] not in ("1", "2"):
            continue
        result = stored[row["URN"]]
        assert result.ks2_rwm_expected_pct == expected(row["PTRWM_EXP"]), row["URN"]
        assert result.ks2_progress_reading == expected(row["READPROG"]), row["URN"]
        assert result.ks2_progress_writing == expected(row["WRITPROG"]), row["URN"]
        assert result.ks2_progress_maths == expected(row["MATPROG"]), row["URN"]
        checked += 1
    assert checked == 331
    la_row = next(r for r in rows(ks2) if r["RECTYPE"] == "3")
    la = Benchmark.objects.get(partnership=p, level="la", code="850", academic_year="2018-19")
    assert la.ks2_rwm_expected_pct == expected(la_row["PTRWM_EXP"]) == Decimal("68")

    ks4 = shared_data(*RAW, "ks4", "2018-2019_936_ks4final.csv")
    schools = {s.urn: s for s in School.objects.filter(partnership=p)}
    for row in rows(ks4):
        if row["RECTYPE"] not in ("1", "2"):
            continue
        facts = school_facts(p, schools[row["URN"]], "2018-19")
        assert facts["p8"] == number(expected(row["P8MEA"])), row["URN"]
        assert facts["p8_ci_upper"] == number(expected(row["P8CIUPP"])), row["URN"]
        assert facts["p8_ci_lower"] == number(expected(row["P8CILOW"])), row["URN"]
        assert facts["attainment8"] == number(expected(row["ATT8SCR"])), row["URN"]
    england = next(r for r in rows(ks4) if r["RECTYPE"] == "7")
    assert Benchmark.objects.get(partnership=p, level="england-state", academic_year="2018-19").progress8 == (
        expected(england["P8MEA"])
    )


def test_raw_reimport_changes_nothing(raw_partnership):
    path = shared_data(*RAW, "ks2", "2017-2018_936_ks2final.csv")
    load(raw_partnership, "ks2", path)
    counts = (School.objects.count(), PerformanceResult.objects.count(), Benchmark.objects.count())
    again = load(raw_partnership, "ks2", path)
    assert not again.summary["created"].get("result") and not again.summary["updated"].get("result")
    assert (School.objects.count(), PerformanceResult.objects.count(), Benchmark.objects.count()) == counts


@pytest.fixture
def five(db):
    partnership = PartnershipFactory(slug="five", name="Five LAs", la_codes=FIVE_LAS)
    load(partnership, "spine", shared_data(*FIVE, "spine_2017-18_five_las.csv"))
    return partnership


def test_five_las_spine_reshaped_ks2_and_ofsted(five):
    assert School.objects.filter(partnership=five).count() == 630
    assert Counter(School.objects.filter(partnership=five).values_list("la_code", flat=True)) == {
        "353": 125,
        "357": 116,
        "359": 146,
        "381": 120,
        "826": 123,
    }
    path = shared_data(*FIVE, "ks2_perf_2018_five_las.csv")
    load(five, "ks2", path)
    schools = {s.urn: s for s in School.objects.filter(partnership=five)}
    for row in rows(path):
        facts = school_facts(five, schools[row["URN"]], "2017-18")
        assert facts["ks2_rwm_expected_pct"] == number(expected(row["Overall Meet Std"])), row["URN"]
        assert facts["ks2_progress_reading"] == number(expected(row["Reading Progress"])), row["URN"]
        assert facts["ks2_progress_maths"] == number(expected(row["Maths Progress"])), row["URN"]

    ofsted = shared_data(*FIVE, "ofsted_ratings_2018_five_las.csv")
    load(five, "ofsted", ofsted)
    latest: dict[str, tuple[date, int]] = {}
    for row in rows(ofsted):
        when = date(int(row["Inspection Date"][:4]), int(row["Inspection Date"][4:6]), int(row["Inspection Date"][6:]))
        if when <= date(2019, 8, 31) and (row["URN"] not in latest or when > latest[row["URN"]][0]):
            latest[row["URN"]] = (when, GRADES[row["Rating"]])
    for urn, (when, grade) in list(latest.items())[:150]:
        facts = school_facts(five, schools[urn], "2018-19")
        context = school_fact_context(five, schools[urn], "2018-19")
        assert (facts["ofsted_grade"], context["ofsted_inspection_date"]) == (grade, when.isoformat()), urn


def test_five_las_slim_2018_19_and_groups_and_links(five):
    slim = shared_data("dfe-performance-tables-2018-19-slim", "five_las", "england_ks4final_five_las.csv")
    load(five, "ks4", slim, year="2018-19")
    schools = {s.urn: s for s in School.objects.filter(partnership=five)}
    for row in rows(slim):
        facts = school_facts(five, schools[row["URN"]], "2018-19")
        assert facts["p8"] == number(expected(row["P8MEA"])), row["URN"]
        assert facts["attainment8"] == number(expected(row["ATT8SCR"])), row["URN"]
    groups = load(
        five, "gias-groups", shared_data("gias-group-links-2022", "five_las", "group_links_2022-03_five_las.csv")
    )
    assert groups.summary["updated"]["school"] > 100
    links = load(
        five, "gias-links", shared_data("gias-establishment-links-2022", "five_las", "links_2022-07-30_five_las.csv")
    )
    assert links.summary["created"]["link"] > 300


def test_national_files_skip_other_las(five):
    """National files: every other LA's row is skipped and counted, never an error."""
    spine = shared_data("dfe-performance-tables-2016-2018", "england_spine_2017-18.csv")
    result = run_import(
        actor=SYSTEM, partnership=five, kind="spine", data=spine.read_bytes(), filename=spine.name, dry_run=True
    )
    assert result.ok
    assert result.summary["skipped_other_la"] == 26078 - 630
    assert result.summary["unchanged"]["school"] == 630
    ofsted = shared_data("dfe-performance-tables-2016-2018", "ofsted_ratings_2018.csv")
    result = load(five, "ofsted", ofsted)
    ours = {s for s in School.objects.filter(partnership=five).values_list("urn", flat=True)}
    mine = [r for r in rows(ofsted) if r["URN"] in ours]
    assert result.summary["skipped_not_in_partnership"] == 60134 - len(mine)
    assert Inspection.objects.filter(partnership=five).count() == len({(r["URN"], r["Inspection Date"]) for r in mine})
    links = shared_data("gias-establishment-links-2022", "links_edubasealldata_2022-07-30.csv")  # cp1252
    assert load(five, "gias-links", links).summary["rows"] == 30653
