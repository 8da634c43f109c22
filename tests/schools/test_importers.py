"""The importers against small fixture files, good and broken: all or nothing, row-by-row errors."""

from decimal import Decimal

import pytest

from partnership.models import AuditEvent
from schools.importers import run_import, summary_lines
from schools.models import Benchmark, Inspection, LocalIndicator, PerformanceResult, School, SchoolType
from tests.factories import SYSTEM

from .conftest import fixture_bytes

pytestmark = pytest.mark.django_db


def _state():
    """Everything an import could change, to compare before and after."""
    return {
        "schools": sorted(School.objects.values_list("partnership_id", "urn", "name", "pupils", "trust_name")),
        "inspections": sorted(Inspection.objects.values_list("school_id", "inspection_date", "overall_grade")),
        "results": sorted(PerformanceResult.objects.values_list("school_id", "academic_year", "ks2_progress_reading")),
        "benchmarks": Benchmark.objects.count(),
        "local": LocalIndicator.objects.count(),
        "audit": AuditEvent.objects.count(),
    }


def _errors(result):
    return {(e.row, e.column, e.value): e.message for e in result.errors}


# ---- GIAS ---------------------------------------------------------------------------------------


def test_gias_updates_known_creates_new_and_skips_other_las(world, run):
    result = run("gias", "gias_small.csv")
    assert result.ok and result.applied, result.errors
    summary = result.summary
    assert summary["rows"] == 5
    assert summary["skipped_other_la"] == 2  # Hampshire and partnership B's LA
    assert summary["schools_created"] == ["901003", "901004"]
    assert summary["created"]["school"] == 2 and summary["updated"]["school"] == 1
    alpha = School.objects.get(partnership=world.a.partnership, urn="901001")
    assert (alpha.name, alpha.pupils, alpha.capacity, alpha.fsm_pct) == (
        "Alpha Primary School",
        389,
        420,
        Decimal("21.7"),
    )
    assert (alpha.age_low, alpha.age_high, alpha.postcode) == (4, 11, "AA1 1AA")
    brook = School.objects.get(partnership=world.a.partnership, urn="901003")
    assert brook.school_type == SchoolType.ACADEMY and brook.trust_name == "Brook Learning Trust"
    assert brook.fsm_pct is None
    hill = School.objects.get(partnership=world.a.partnership, urn="901004")
    assert hill.phase == "secondary"
    # the latest inspection in the extract, with its category
    sm = Inspection.objects.get(school=hill)
    assert (sm.overall_grade, sm.category, str(sm.inspection_date)) == (4, "SM", "2019-10-02")
    assert not School.objects.filter(partnership=world.a.partnership, urn__in=["850999", "902001"]).exists()
    # B's school of the same URN is untouched
    assert School.objects.get(partnership=world.b.partnership, urn="902001").name == "Beta Primary School"
    assert any("2 schools not known before were created" in line for line in summary_lines(summary))


def test_gias_reimport_updates_never_duplicates(world, run):
    run("gias", "gias_small.csv")
    counts = (School.objects.count(), Inspection.objects.count())
    again = run("gias", "gias_small.csv")
    assert again.ok
    assert (School.objects.count(), Inspection.objects.count()) == counts
    assert again.summary["created"].get("school", 0) == 0
    assert again.summary["updated"].get("school", 0) == 0
    assert again.summary["unchanged"]["school"] == 3


def test_import_is_audited_with_the_actor(world, run):
    run("gias", "gias_small.csv")
    events = AuditEvent.objects.filter(partnership=world.a.partnership, action__startswith="school.import")
    assert {e.action for e in events} == {"school.import_create", "school.import_update"}
    assert {e.actor_label for e in events} == {"officer.alpha"}
    update = events.get(action="school.import_update")
    assert update.before["pupils"] == 200 and update.after["pupils"] == 389
    assert "gias_small.csv" in update.reason


def test_dry_run_reports_the_same_summary_and_changes_nothing(world, run):
    before = _state()
    preview = run("gias", "gias_small.csv", dry_run=True)
    assert preview.ok and not preview.applied
    assert _state() == before
    applied = run("gias", "gias_small.csv")
    strip = {"dry_run"}
    assert {k: v for k, v in preview.summary.items() if k not in strip} == {
        k: v for k, v in applied.summary.items() if k not in strip
    }
    assert any("would be created" in line for line in summary_lines(preview.summary))


def test_gias_broken_rows_each_reported_and_nothing_changed(world, run):
    before = _state()
    result = run("gias", "gias_broken.csv")
    assert not result.ok and not result.applied
    assert _state() == before  # the good first row was not applied either
    errors = _errors(result)
    assert "is not a URN" in errors[(3, "URN", "90X005")]
    assert "three-digit DfE LA code" in errors[(4, "LA (code)", "9O1")]
    assert "not a number" in errors[(5, "NumberOfPupils", "lots")]
    assert "not an Ofsted grade" in errors[(6, "OfstedRating (name)", "Very good")]
    assert "repeats URN 901009 of row 7" in errors[(8, "", "")]
    assert len(result.errors) == 5
    assert str(result.errors[0]).startswith("row 3, column URN, value '90X005':")


# ---- whole-file problems -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "The file is empty."),
        (b"   \n\n", "The file is empty."),
        (b"URN,Rating,Inspection Date\n", "has a header but no rows"),
        ("URN,Rating,Inspection Date\n901001,Good,20190101\n".encode("utf-16"), "UTF-16"),
        (b"PK\x03\x04rest-of-a-zip", "Excel workbook"),
        (b"URN,Rating,Inspection Date\n901001,\x81\x8d\x8f,20190101\n", "neither UTF-8 nor Windows-1252"),
    ],
    ids=["empty", "blank-lines", "header-only", "utf-16", "xlsx", "undecodable-bytes"],
)
def test_unreadable_files_are_refused_as_a_whole(world, run, data, message):
    before = _state()
    result = run("ofsted", data=data)
    assert not result.ok
    assert len(result.errors) == 1 and result.errors[0].row == 0
    assert message in result.errors[0].message
    assert _state() == before


def test_a_file_of_another_format_says_which_kind_it_looks_like(world, run):
    result = run("gias", "ofsted_small.csv")
    assert not result.ok
    assert "This is not a GIAS establishments file" in result.errors[0].message
    assert "looks like a ofsted file" in result.errors[0].message


def test_windows_1252_file_is_read(world, run):
    text = fixture_bytes("gias_small.csv").decode().replace("Brook Lane Academy", "Brook Lane Académie")
    result = run("gias", data=text.encode("cp1252"))
    assert result.ok, result.errors
    assert School.objects.get(partnership=world.a.partnership, urn="901003").name == "Brook Lane Académie"


def test_ragged_row_is_an_error(world, run):
    result = run("ofsted", data=b"URN,Rating,Inspection Date\n901001,Good\n")
    assert _errors(result)[(2, "", "")] == "has 2 cells but the header has 3 columns"


# ---- KS2 and KS4 ----------------------------------------------------------------------------------


def test_ks2_raw_results_suppression_benchmarks_and_new_schools(world, run):
    result = run("ks2", "ks2_raw_small.csv", year="2018-19")
    assert result.ok, result.errors
    s = result.summary
    assert s["skipped_other_la"] == 2  # a Hampshire school row and Hampshire's LA row
    assert s["schools_created"] == ["901010", "901011"]
    assert s["created"]["result"] == 3 and s["created"]["benchmark"] == 3
    alpha = PerformanceResult.objects.get(school=world.a.school, academic_year="2018-19")
    assert alpha.ks2_rwm_expected_pct == Decimal("63") and alpha.ks2_rwm_high_pct == Decimal("9")
    assert (alpha.ks2_progress_reading, alpha.ks2_progress_writing, alpha.ks2_progress_maths) == (
        Decimal("-1.9"),
        Decimal("-2.8"),
        Decimal("-2.6"),
    )
    assert alpha.ks2_pupils == 55 and alpha.source == "ks2: ks2_raw_small.csv"
    suppressed = PerformanceResult.objects.get(school__urn="901010", school__partnership=world.a.partnership)
    special = PerformanceResult.objects.get(school__urn="901011", school__partnership=world.a.partnership)
    for row in (suppressed, special):
        assert row.ks2_rwm_expected_pct is None and row.ks2_progress_reading is None
        assert row.ks2_progress_writing is None and row.ks2_progress_maths is None
    assert School.objects.get(partnership=world.a.partnership, urn="901011").school_type == SchoolType.SPECIAL
    new_junior = School.objects.get(partnership=world.a.partnership, urn="901010")
    assert (new_junior.name, new_junior.age_low, new_junior.age_high, new_junior.phase) == (
        "New Brook Junior School",
        7,
        11,
        "primary",
    )
    benchmarks = {(b.level, b.code): b for b in Benchmark.objects.filter(partnership=world.a.partnership)}
    assert set(benchmarks) == {("la", "901"), ("england-all", "E92000001"), ("england-state", "E92000001")}
    assert benchmarks[("la", "901")].ks2_rwm_expected_pct == Decimal("66")
    assert benchmarks[("england-state", "E92000001")].ks2_progress_reading is None


def test_ks2_year_comes_from_the_raw_file_name(world, run):
    result = run_import(
        actor=SYSTEM,
        partnership=world.a.partnership,
        kind="ks2",
        data=fixture_bytes("ks2_raw_small.csv"),
        filename="2017-2018_901_ks2final.csv",
    )
    assert result.ok and result.summary["year"] == "2017-18"
    clash = run_import(
        actor=SYSTEM,
        partnership=world.a.partnership,
        kind="ks2",
        year="2018-19",
        data=fixture_bytes("ks2_raw_small.csv"),
        filename="2017-2018_901_ks2final.csv",
    )
    assert not clash.ok and "file name says 2017-18" in clash.errors[0].message
    no_year = run_import(
        actor=SYSTEM,
        partnership=world.a.partnership,
        kind="ks2",
        data=fixture_bytes("ks2_raw_small.csv"),
        filename="results.csv",
    )
    # The message is read on the upload page as well as by the command: no command-line flags in it.
    assert not no_year.ok and "Say which academic year the file is for" in no_year.errors[0].message
    assert "--" not in no_year.errors[0].message


def test_ks2_broken_rows_and_other_las_never_errors(world, run):
    before = _state()
    result = run("ks2", "ks2_broken.csv", year="2018-19")
    assert not result.ok
    errors = _errors(result)
    assert set(errors) == {(2, "READPROG", "high"), (3, "URN", "ABCDEF")}
    assert "nor a DfE code for a missing or suppressed value" in errors[(2, "READPROG", "high")]
    assert _state() == before


def test_ks4_raw_progress8_with_confidence_interval(world, run):
    result = run("ks4", "ks4_raw_small.csv", year="2018-19")
    assert result.ok, result.errors
    hill = PerformanceResult.objects.get(school__urn="901004", school__partnership=world.a.partnership)
    assert (hill.progress8, hill.p8_ci_lower, hill.p8_ci_upper, hill.attainment8, hill.ks4_basics_95_pct) == (
        Decimal("-0.62"),
        Decimal("-0.84"),
        Decimal("-0.40"),
        Decimal("38.2"),
        Decimal("27"),
    )
    valley = PerformanceResult.objects.get(school__urn="901005", school__partnership=world.a.partnership)
    assert valley.progress8 is None and valley.attainment8 is None and valley.p8_ci_upper is None
    levels = dict(Benchmark.objects.filter(partnership=world.a.partnership).values_list("level", "attainment8"))
    assert levels == {"la": Decimal("46.1"), "england-all": Decimal("44.7"), "england-state": Decimal("46.7")}
    assert result.summary["skipped_other_la"] == 1


def test_ks2_then_ks4_fill_one_result_row_per_year(world, run):
    run("ks2", "ks2_raw_small.csv", year="2018-19")
    ks4 = "RECTYPE,LEA,ESTAB,URN,SCHNAME,ATT8SCR,P8MEA\n1,901,2001,901001,Alpha Primary School,40.0,0.1\n"
    assert run("ks4", data=ks4.encode(), year="2018-19").ok
    row = PerformanceResult.objects.get(school=world.a.school, academic_year="2018-19")
    assert row.ks2_progress_reading == Decimal("-1.9") and row.progress8 == Decimal("0.1")
    assert row.source.splitlines() == ["ks2: ks2_raw_small.csv", "ks4: upload.csv"]


def test_reshaped_ks2_without_an_la_column_skips_unknown_urns(world, run):
    data = (
        "URN,KS2 Pupils,Reading Progress,Writing Progress,Maths Progress,Overall Meet Std,Overall Exceed Std,"
        "Academic Year\n901001,40,-2.2,0.6,-1.6,55%,0%,2018\n999999,9,4.2,-1.8,0.8,oops,0%,2018\n"
    )
    result = run("ks2", data=data.encode())
    assert result.ok, result.errors  # the unknown URN's bad value is not ours to judge
    assert result.summary["skipped_not_in_partnership"] == 1
    row = PerformanceResult.objects.get(school=world.a.school)
    assert row.academic_year == "2017-18" and row.ks2_rwm_expected_pct == Decimal("55")


def test_import_runs_in_a_bounded_number_of_queries(world, run, django_assert_max_num_queries):
    header = "RECTYPE,LEA,ESTAB,URN,SCHNAME,AGERANGE,TELIG,PTRWM_EXP,READPROG,WRITPROG,MATPROG\n"
    rows = "".join(f"1,901,{2100 + i},{905000 + i},School {i},4-11,30,60%,0.1,0.2,0.3\n" for i in range(300))
    # Batched inserts and audit rows, plus one fixed-cost recompute of the grants for the new schools.
    with django_assert_max_num_queries(45):
        result = run("ks2", data=(header + rows).encode(), year="2018-19")
    assert result.ok and result.summary["created"]["result"] == 300


# ---- Ofsted ---------------------------------------------------------------------------------------


def test_ofsted_history(world, run):
    result = run("ofsted", "ofsted_small.csv")
    assert result.ok, result.errors
    assert result.summary["skipped_not_in_partnership"] == 2  # a Hampshire URN and one of B's
    assert result.summary["duplicates_ignored"] == 1
    alpha = list(Inspection.objects.filter(school=world.a.school).order_by("inspection_date"))
    assert [(str(i.inspection_date), i.overall_grade) for i in alpha] == [
        ("2015-03-10", 3),
        ("2017-03-28", 3),
        ("2020-01-15", 2),
    ]
    sm = Inspection.objects.get(school=world.a.other_school, inspection_date="2018-06-12")
    assert (sm.overall_grade, sm.category) == (4, "SM")
    assert not Inspection.objects.filter(school__partnership=world.b.partnership).exists()
    assert run("ofsted", "ofsted_small.csv").summary["unchanged"]["inspection"] == 5


def test_ofsted_rich_columns(world, run):
    assert run("ofsted", "ofsted_rich.csv").ok
    alpha = Inspection.objects.get(school=world.a.school)
    assert (alpha.inspection_type, alpha.overall_grade, alpha.leadership_grade, alpha.safeguarding_effective) == (
        "s5",
        3,
        2,
        True,
    )
    weak = Inspection.objects.get(school=world.a.other_school)
    assert (weak.overall_grade, weak.category, weak.safeguarding_effective) == (4, "SW", False)


def test_ofsted_broken_rows(world, run):
    result = run("ofsted", "ofsted_broken.csv")
    errors = _errors(result)
    assert "not an Ofsted grade" in errors[(2, "Rating", "Excellent")]
    assert "is not a date" in errors[(3, "Inspection Date", "31/02/2018")]
    assert "every inspection has a date" in errors[(4, "Inspection Date", "")]
    assert "is not a URN" in errors[(5, "URN", "12")]
    assert not Inspection.objects.exists()


# ---- links, groups, local ----------------------------------------------------------------------


def test_gias_links_for_known_schools_only(world, run):
    data = (
        "URN,LinkURN,LinkName,LinkType,LinkEstablishedDate\n"
        "901001,135000,Alpha Academy,Successor,01-09-2019\n"
        "100000,100001,Elsewhere,Predecessor,\n"
    )
    result = run("gias-links", data=data.encode())
    assert result.ok and result.summary["skipped_not_in_partnership"] == 1
    link = world.a.school.links.get()
    assert (link.linked_urn, link.link_type, str(link.established)) == ("135000", "Successor", "2019-09-01")


def test_gias_groups_set_the_trust(world, run):
    data = (
        "URN,Group UID,Group ID,Group Name,Companies House Number,Group Type (code),Group Type,Closed Date,"
        "Open date,Incorporated on (open date),Group Status (code),Group Status,Joined date,EstablishmentName,"
        "TypeOfEstablishment (code),TypeOfEstablishment (name),PhaseOfEducation (code),PhaseOfEducation (name),"
        "LA (code),LA (name)\n"
        "901001,1,TR1,Alpha Learning Trust,1234,6,Multi-academy trust,,,,OPEN,Open,,Alpha Primary School,"
        "28,Academy converter,2,Primary,901,Alphashire\n"
        "901001,2,,Alpha Sponsor,,5,School sponsor,,,,OPEN,Open,,Alpha Primary School,28,Academy converter,"
        "2,Primary,901,Alphashire\n"
        "902001,3,TR2,Beta Trust,99,6,Multi-academy trust,,,,OPEN,Open,,Beta Primary School,28,Academy converter,"
        "2,Primary,902,Betashire\n"
    )
    result = run("gias-groups", data=data.encode())
    assert result.ok, result.errors
    world.a.school.refresh_from_db()
    assert world.a.school.trust_name == "Alpha Learning Trust"
    assert result.summary["skipped_other"] == 1 and result.summary["skipped_other_la"] == 1


def test_local_data(world, run):
    assert run("local", "local_small.csv").ok
    row = LocalIndicator.objects.get(school=world.a.school, academic_year="2018-19")
    assert (
        row.self_evaluation_grade,
        row.sef_validated_grade,
        row.finance_concern,
        row.complaints,
        row.outward_facing,
    ) == (2, 3, "concern", 2, "partly")


def test_local_data_errors(world, run):
    result = run("local", "local_broken.csv")
    errors = _errors(result)
    assert "2018/19" in {value for _, _, value in errors}
    assert "is not None, Concern, Serious" in errors[(3, "Finance concern", "Maybe")]
    assert "not a school of this partnership" in errors[(2, "URN", "902001")]
    assert "whole number" in errors[(3, "Complaints", "-1")]
    assert "not Fully, Partly, Not" in errors[(3, "Outward facing", "Sideways")]
    assert not LocalIndicator.objects.exists()


# ---- impossible values, over-long cells, files for another LA ----------------------------------


def test_impossible_values_are_refused_with_row_column_and_value_and_nothing_lands(world, run):
    before = _state()
    result = run("ks2", "ks2_impossible.csv")
    assert not result.ok and not result.applied
    errors = _errors(result)
    assert set(errors) == {
        (2, "Overall Meet Std", "150%"),
        (3, "Overall Meet Std", "-5%"),
        (3, "Writing Progress", "500"),
    }
    assert errors[(2, "Overall Meet Std", "150%")] == "is 150, but a percentage lies between 0 and 100"
    assert errors[(3, "Writing Progress", "500")] == "is 500, but a KS2 progress score lies between -40 and 40"
    # The good row of the earlier year did not land either: the file lands whole or not at all.
    assert _state() == before


def test_an_impossible_value_in_a_raw_ks2_or_ks4_file_is_refused(world, run):
    raw = "RECTYPE,LEA,ESTAB,URN,SCHNAME,PTRWM_EXP,READPROG\n1,901,2001,901001,Alpha Primary School,63%,-45\n"
    result = run("ks2", data=raw.encode(), year="2018-19")
    assert _errors(result) == {(2, "READPROG", "-45"): "is -45, but a KS2 progress score lies between -40 and 40"}
    ks4 = "RECTYPE,LEA,ESTAB,URN,SCHNAME,ATT8SCR,P8MEA\n1,901,2001,901001,Alpha Primary School,95.5,0.1\n"
    result = run("ks4", data=ks4.encode(), year="2018-19")
    assert _errors(result) == {(2, "ATT8SCR", "95.5"): "is 95.5, but an Attainment 8 score lies between 0 and 90"}
    assert not PerformanceResult.objects.exists()


def test_every_write_path_checks_the_same_range(world):
    from django.core.exceptions import ValidationError

    result = PerformanceResult(
        partnership=world.a.partnership, school=world.a.school, academic_year="2018-19", phonics_pct=Decimal("101")
    )
    with pytest.raises(ValidationError) as refused:
        result.full_clean()
    assert refused.value.message_dict == {"phonics_pct": ["The value is 101, but a percentage lies between 0 and 100."]}
    result.phonics_pct = Decimal("100")
    result.full_clean()


def test_a_cell_longer_than_the_limit_names_its_row_and_column(world, run):
    before = _state()
    long = "x" * 200_000
    raw = (
        "RECTYPE,LEA,ESTAB,URN,SCHNAME,PTRWM_EXP,READPROG\n"
        "1,901,2001,901001,Alpha Primary School,63%,-1.0\n"
        f'1,901,2002,901002,"{long}",60%,0.5\n'
    )
    result = run("ks2", data=raw.encode(), year="2018-19")
    assert not result.ok
    [error] = result.errors
    assert (error.row, error.column) == (3, "SCHNAME")
    assert error.message.startswith("holds 200,000 characters; a cell may hold at most 10,000")
    assert len(error.value) < 100
    assert _state() == before


def test_a_file_with_no_row_for_the_partnerships_las_says_so_instead_of_importing(world, run):
    before = _state()
    other_la = (
        "RECTYPE,LEA,ESTAB,URN,SCHNAME,PTRWM_EXP,READPROG\n"
        "1,850,2000,115850,Another LA's school,70%,0.5\n"
        "3,850,,,Hampshire,65%,0.1\n"
        "4,,,,England,65%,0.0\n"
    )
    result = run("ks2", data=other_la.encode(), year="2018-19")
    assert not result.ok and not result.applied
    [error] = result.errors
    assert error.message.startswith(f"None of the file's 3 rows is for {world.a.partnership.name}'s LAs")
    assert "nothing was imported" in error.message
    assert _state() == before  # not even England's row

    unknown = "URN,Academic Year,Overall Meet Std,Reading Progress\n999991,2019,60%,0.1\n999992,2019,61%,0.2\n"
    result = run("ks2", data=unknown.encode())
    assert not result.ok
    assert "None of the file's 2 school rows names a school of" in result.errors[0].message
    assert _state() == before
