"""Invented, realistic school data: Ofsted histories, three years of results and LA judgements.

Used by load_demo to give the demo schools figures, and by generate_england to build a synthetic
country for benchmarks. Deterministic for a given seed. Nothing here is a real school's data.
"""

import random
from datetime import date, timedelta
from decimal import Decimal

from schools.models import Grade, Inspection, LocalIndicator, PerformanceResult, Phase, School

YEARS = ("2016-17", "2017-18", "2018-19")
GRADE_WEIGHTS = (
    (Grade.OUTSTANDING, 0.17),
    (Grade.GOOD, 0.64),
    (Grade.REQUIRES_IMPROVEMENT, 0.15),
    (Grade.INADEQUATE, 0.04),
)


def _d(value: float, places: int = 1) -> Decimal:
    return Decimal(f"{value:.{places}f}")


def _clip(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _grade(rng: random.Random) -> int:
    roll, total = rng.random(), 0.0
    for grade, weight in GRADE_WEIGHTS:
        total += weight
        if roll < total:
            return grade
    return Grade.GOOD


def _near(rng: random.Random, grade: int) -> int:
    return int(_clip(grade + rng.choice((0, 0, 0, 0, -1, 1)), 1, 4))


def invent_school_data(rng: random.Random, school: School, years=YEARS):
    """Two graded inspections, a result per year and an LA judgement for the last year, all unsaved."""
    strength = rng.gauss(0, 1)  # one hidden quality per school, so grades and results agree
    grade = int(_clip(round(2.05 - 0.6 * strength + rng.gauss(0, 0.45)), 1, 4)) if rng.random() < 0.8 else _grade(rng)
    last_day = date(int(years[-1][:4]) + 1, 7, 15)
    latest_on = last_day - timedelta(days=rng.randint(60, 4 * 365))
    previous_on = latest_on - timedelta(days=rng.randint(2 * 365, 5 * 365))
    previous_grade = _near(rng, grade) if grade != Grade.REQUIRES_IMPROVEMENT else rng.choice((2, 3, 3))
    inspections = []
    for on, overall in ((previous_on, previous_grade), (latest_on, grade)):
        category = ""
        if overall == Grade.INADEQUATE:
            category = "SM" if rng.random() < 0.55 else "SW"
        inspections.append(
            Inspection(
                partnership_id=school.partnership_id,
                school=school,
                inspection_date=on,
                inspection_type="s5",
                overall_grade=overall,
                leadership_grade=_near(rng, overall),
                category=category,
                safeguarding_effective=not (overall == Grade.INADEQUATE and rng.random() < 0.5),
                source="invented",
            )
        )
    results = []
    drift = rng.gauss(0, 0.6)
    for index, year in enumerate(years):
        trend = strength + drift * (index - 1)
        result = PerformanceResult(
            partnership_id=school.partnership_id, school=school, academic_year=year, source="invented"
        )
        if school.phase == Phase.SECONDARY:
            p8 = _clip(0.35 * trend + rng.gauss(0, 0.2), -2.5, 2.0)
            half_width = rng.uniform(0.12, 0.3)
            result.ks4_pupils = rng.randint(90, 260)
            result.progress8 = _d(p8, 2)
            result.p8_ci_lower, result.p8_ci_upper = _d(p8 - half_width, 2), _d(p8 + half_width, 2)
            result.attainment8 = _d(_clip(46 + 4 * p8 + rng.gauss(0, 3), 15, 80), 1)
            result.ks4_basics_95_pct = _d(_clip(43 + 12 * p8 + rng.gauss(0, 6), 2, 98), 0)
        elif school.phase == Phase.PRIMARY and (school.age_high or 11) >= 11:
            result.ks2_pupils = rng.randint(15, 90)
            result.ks2_rwm_expected_pct = _d(_clip(65 + 9 * trend + rng.gauss(0, 6), 5, 100), 0)
            result.ks2_rwm_high_pct = _d(_clip(10 + 3 * trend + rng.gauss(0, 3), 0, 60), 0)
            for subject in ("reading", "writing", "maths"):
                setattr(result, f"ks2_progress_{subject}", _d(_clip(1.2 * trend + rng.gauss(0, 1.6), -12, 10), 1))
        if school.phase == Phase.PRIMARY:
            result.phonics_pct = _d(_clip(82 + 4 * trend + rng.gauss(0, 5), 30, 100), 0)
            result.eyfs_gld_pct = _d(_clip(71 + 4 * trend + rng.gauss(0, 6), 30, 100), 0)
        result.attendance_pct = _d(_clip(95.2 + 0.5 * trend + rng.gauss(0, 0.6), 85, 99), 1)
        result.persistent_absence_pct = _d(_clip(10 - 2.5 * trend + rng.gauss(0, 2), 1, 40), 1)
        result.suspensions_rate = _d(_clip(3 - 1.5 * trend + rng.gauss(0, 1.5), 0, 30), 2)
        result.permanent_exclusions = max(0, int(rng.gauss(0.3 - 0.4 * strength, 0.6)))
        results.append(result)
    local = LocalIndicator(
        partnership_id=school.partnership_id,
        school=school,
        academic_year=years[-1],
        source="invented",
        self_evaluation_grade=int(_clip(grade - (1 if rng.random() < 0.25 else 0), 1, 4)),
        sef_validated_grade=int(_clip(grade - (1 if strength > 0.8 else 0), 1, 4)),
        finance_concern=rng.choices(("none", "concern", "serious"), (0.8, 0.16, 0.04))[0],
        complaints=max(0, int(rng.gauss(1, 1.2))),
        outward_facing=rng.choices(("fully", "partly", "not_engaged"), (0.7, 0.25, 0.05))[0],
    )
    return inspections, results, local


def add_invented_data(schools, *, seed, years=YEARS, batch_size: int = 2000) -> dict[str, int]:
    """Invent and bulk-insert data for schools that have none yet. Returns the counts written."""
    rng = random.Random(seed)
    inspections, results, locals_ = [], [], []
    for school in schools:
        i, r, local = invent_school_data(rng, school, years)
        inspections += i
        results += r
        locals_.append(local)
    Inspection.objects.bulk_create(inspections, batch_size=batch_size)
    PerformanceResult.objects.bulk_create(results, batch_size=batch_size)
    LocalIndicator.objects.bulk_create(locals_, batch_size=batch_size)
    return {"inspections": len(inspections), "results": len(results), "local": len(locals_)}


SYNTHETIC_PREFIX = "england-"
PHASE_MIX = ((Phase.PRIMARY, 0.82), (Phase.SECONDARY, 0.15), (Phase.SPECIAL, 0.03))


def generate_england(*, partnerships: int = 152, schools: int = 22000, seed: int = 1, stdout=None) -> dict:
    """A synthetic England: partnerships named england-001 ..., each with its share of the schools,
    two inspections, three years of results and an LA judgement per school. Replaces an earlier one."""
    from django.db import transaction

    from partnership.models import Partnership
    from partnership.services import partnership_create
    from schools.services import schools_create_many

    rng = random.Random(seed)
    with transaction.atomic():
        Partnership.objects.filter(slug__startswith=SYNTHETIC_PREFIX).delete()
    counts = {"partnerships": 0, "schools": 0, "inspections": 0, "results": 0, "local": 0}
    base, extra = divmod(schools, partnerships)
    for index in range(partnerships):
        la_code = f"{100 + index:03d}"
        with transaction.atomic():
            partnership = partnership_create(
                actor=None,
                slug=f"{SYNTHETIC_PREFIX}{index + 1:03d}",
                name=f"Synthetic Partnership {index + 1}",
                la_codes=[la_code],
            )
            size = base + (1 if index < extra else 0)
            made = []
            for n in range(size):
                phase = rng.choices([p for p, _ in PHASE_MIX], [w for _, w in PHASE_MIX])[0]
                ages = {Phase.PRIMARY: (4, 11), Phase.SECONDARY: (11, 16), Phase.SPECIAL: (3, 19)}[phase]
                made.append(
                    School(
                        urn=f"{la_code}{n + 1:04d}",
                        name=f"Synthetic {phase.label} School {la_code}-{n + 1}",
                        la_code=la_code,
                        phase=phase,
                        age_low=ages[0],
                        age_high=ages[1],
                        pupils=rng.randint(900, 1600) if phase == Phase.SECONDARY else rng.randint(60, 630),
                    )
                )
            created = schools_create_many(actor=None, partnership=partnership, schools=made, reason="Synthetic.")
            written = add_invented_data(created, seed=f"{seed}-{index}")
        counts["partnerships"] += 1
        counts["schools"] += len(created)
        for key, value in written.items():
            counts[key] += value
        if stdout is not None and (index + 1) % 25 == 0:
            stdout.write(f"{index + 1} partnerships, {counts['schools']} schools")
    return counts
