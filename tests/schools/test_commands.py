"""The import_data and school_facts management commands."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from schools.models import ImportRun, Inspection, PerformanceResult, School

from .conftest import FIXTURES

pytestmark = pytest.mark.django_db
REPO = Path(__file__).resolve().parents[2]


def _call(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_data_applies_and_summarises(world):
    out = _call(
        "import_data", "gias", str(FIXTURES / "gias_small.csv"), "--partnership", "alpha", "--user", "officer.alpha"
    )
    assert out.startswith("Imported.")
    assert "2 schools not known before were created from the file's own fields: 901003, 901004." in out
    assert "2 rows of other LAs skipped." in out
    run = ImportRun.objects.get(partnership=world.a.partnership)
    assert (run.kind, run.filename, run.status, run.created_by.username) == (
        "gias",
        "gias_small.csv",
        "applied",
        "officer.alpha",
    )


def test_import_data_dry_run_changes_nothing(world):
    out = _call(
        "import_data",
        "ks2",
        str(FIXTURES / "ks2_raw_small.csv"),
        "--partnership",
        "alpha",
        "--year",
        "2018-19",
        "--dry-run",
    )
    assert out.startswith("Dry run: nothing was changed.")
    assert "result: 3 would be created" in out
    assert not PerformanceResult.objects.exists() and not ImportRun.objects.exists()
    assert not School.objects.filter(urn="901010").exists()


def test_import_data_failure_reports_rows_and_changes_nothing(world):
    with pytest.raises(CommandError) as raised:
        _call("import_data", "ofsted", str(FIXTURES / "ofsted_broken.csv"), "--partnership", "alpha")
    message = str(raised.value)
    assert "failed: nothing was changed" in message
    assert "row 2, column Rating, value 'Excellent': is not an Ofsted grade" in message
    assert not Inspection.objects.exists() and not ImportRun.objects.exists()


def test_import_data_unknown_partnership(world):
    with pytest.raises(CommandError, match="No partnership"):
        _call("import_data", "gias", str(FIXTURES / "gias_small.csv"), "--partnership", "nowhere")


def test_school_facts_prints_json(world):
    _call("import_data", "ks2", str(FIXTURES / "ks2_raw_small.csv"), "--partnership", "alpha", "--year", "2018-19")
    _call("import_data", "ofsted", str(FIXTURES / "ofsted_small.csv"), "--partnership", "alpha")
    _call("import_data", "ofsted", str(FIXTURES / "ofsted_rich.csv"), "--partnership", "alpha")
    facts = json.loads(_call("school_facts", "--partnership", "alpha", "--urn", "901001", "--year", "2018-19"))
    assert facts["phase"] == "primary"
    assert facts["ks2_rwm_expected_pct"] == 63 and facts["ks2_progress_reading"] == -1.9
    assert facts["ks2_progress_writing"] == -2.8 and facts["ks2_progress_maths"] == -2.6
    assert facts["p8"] is None and facts["p8_ci_upper"] is None
    # inspections up to 31 August 2019: RI 2015, RI 2017, RI 2018 (s5, leadership 2); 2020's Good is later
    assert facts["ofsted_grade"] == 3
    assert facts["previous_ofsted_grade"] == 3 and facts["consecutive_ri"] == 3
    assert facts["ofsted_leadership_grade"] == 2 and facts["safeguarding_effective"] is True
    assert facts["ks2_rwm_expected_pct_history"] == [None, None, 63]
    assert facts["ks2_progress_reading_history"] == [None, None, -1.9]
    both = json.loads(
        _call("school_facts", "--partnership", "alpha", "--urn", "901001", "--year", "2018-19", "--context")
    )
    assert both["facts"] == facts
    context = both["context"]
    assert context["ofsted_inspection_date"] == "2018-03-06" and context["ofsted_inspection_type"] == "s5"
    assert context["la"]["ks2_rwm_expected_pct"] == 66 and context["england"]["ks2_rwm_expected_pct"] == 65
    assert context["history_years"] == ["2016-17", "2017-18", "2018-19"]
    later = json.loads(_call("school_facts", "--partnership", "alpha", "--urn", "901001", "--year", "2019-20"))
    assert later["ofsted_grade"] == 2 and later["consecutive_ri"] == 0 and later["previous_ofsted_grade"] == 3
    weak = json.loads(_call("school_facts", "--partnership", "alpha", "--urn", "901002", "--year", "2018-19"))
    assert weak["ofsted_category"] == "SW" and weak["ofsted_grade"] == 4
    # the judgement before a category of concern is the category itself
    assert weak["previous_ofsted_grade"] == "SM"


def test_school_facts_speak_the_categorisation_vocabulary(world):
    """Every fact printed is a fact the categorisation engine knows, with an allowed value."""
    engine = pytest.importorskip("categorisation.engine.facts")
    _call("import_data", "gias", str(FIXTURES / "gias_small.csv"), "--partnership", "alpha")
    for name in ("ks2_raw_small.csv", "ks4_raw_small.csv"):
        _call("import_data", name[:3], str(FIXTURES / name), "--partnership", "alpha", "--year", "2018-19")
    for name in ("ofsted_small.csv", "ofsted_rich.csv"):
        _call("import_data", "ofsted", str(FIXTURES / name), "--partnership", "alpha")
    _call("import_data", "local", str(FIXTURES / "local_small.csv"), "--partnership", "alpha")
    for urn in ("901001", "901002", "901004", "901005", "901010"):
        for year in ("2017-18", "2018-19", "2019-20"):
            facts = json.loads(_call("school_facts", "--partnership", "alpha", "--urn", urn, "--year", year))
            engine.validate_facts(facts)
    facts = json.loads(_call("school_facts", "--partnership", "alpha", "--urn", "901001", "--year", "2018-19"))
    assert (facts["sef_validated_grade"], facts["finance_concern"], facts["outward_facing"]) == (
        3,
        "concern",
        "partly",
    )
    # England's figures of the year from the raw files' England rows (state-funded first)
    assert (facts["national_ks2_rwm_expected_pct"], facts["national_attainment8"]) == (65, 46.7)
    # the seven-column local file has no judgements: null facts
    assert facts["teaching_quality"] is None and facts["behaviour_concern"] is None


def test_school_facts_ks4(world):
    _call("import_data", "gias", str(FIXTURES / "gias_small.csv"), "--partnership", "alpha")
    _call("import_data", "ks4", str(FIXTURES / "ks4_raw_small.csv"), "--partnership", "alpha", "--year", "2018-19")
    facts = json.loads(_call("school_facts", "--partnership", "alpha", "--urn", "901004", "--year", "2018-19"))
    assert facts["phase"] == "secondary"
    assert (facts["p8"], facts["p8_ci_lower"], facts["p8_ci_upper"], facts["attainment8"]) == (-0.62, -0.84, -0.4, 38.2)
    context = json.loads(
        _call("school_facts", "--partnership", "alpha", "--urn", "901004", "--year", "2018-19", "--context")
    )["context"]
    assert context["england"]["p8"] == -0.03 and context["la"]["p8"] == -0.1
    assert facts["ofsted_grade"] is None  # its inspection (2 October 2019) came after 2018-19
    later = json.loads(_call("school_facts", "--partnership", "alpha", "--urn", "901004", "--year", "2019-20"))
    assert later["ofsted_category"] == "SM" and later["ofsted_grade"] == 4 and later["p8"] is None


def test_school_facts_refuses_another_partnerships_school(world):
    with pytest.raises(CommandError, match="No school with URN 902001"):
        _call("school_facts", "--partnership", "alpha", "--urn", "902001", "--year", "2018-19")


def test_import_data_exits_non_zero_from_the_shell(tmp_path):
    """The real process: a missing partnership is an error report and exit status 1."""
    env = {
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PATH": "/usr/bin:/bin",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=REPO, env=env, check=True)
    done = subprocess.run(
        [sys.executable, "manage.py", "import_data", "gias", str(FIXTURES / "gias_small.csv"), "--partnership", "x"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1 and "No partnership with the slug 'x'" in done.stderr
