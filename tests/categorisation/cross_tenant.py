"""Cross-tenant entries for categorisation's pages: url name -> kwargs built from partnership A's
objects (see tests/test_cross_tenant.py). Every categorisation URL must be listed here."""


def _framework(world):
    from categorisation.models import Framework
    from categorisation.services import framework_clone

    framework = Framework.objects.filter(partnership=world.a.partnership).first()
    return framework or framework_clone(
        actor=world.a.users["officer"], partnership=world.a.partnership, source_slug="calderdale"
    )


def _run(world):
    """A's run, finished, with a result for A's school (built directly: no task needed)."""
    from django.utils import timezone

    from categorisation.models import Result, Run
    from categorisation.selectors import published_version

    run = Run.objects.filter(partnership=world.a.partnership).first()
    if run is None:
        version = published_version(_framework(world))
        run = Run.objects.create(
            partnership=world.a.partnership,
            framework_version=version,
            academic_year="2022-23",
            status=Run.Status.DONE,
            total=1,
            done_count=1,
        )
        Result.objects.create(
            partnership=world.a.partnership,
            run=run,
            school=world.a.school,
            framework_version=version,
            academic_year="2022-23",
            computed_category="AMBER",
            computed_at=timezone.now(),
        )
    return run


def _run_kwargs(world):
    return {"run_uuid": _run(world).uuid}


def _framework_kwargs(world):
    return {"framework_slug": _framework(world).slug}


def _category_kwargs(world):
    return {"framework_slug": _framework(world).slug, "number": 1}


def _criterion_kwargs(world):
    return {"framework_slug": _framework(world).slug, "number": 1, "position": 1}


def _result_kwargs(world):
    return {"run_uuid": _run(world).uuid, "urn": world.a.school.urn}


CATEGORISATION_URLS: dict = {
    "categorisation_framework_clone": lambda w: {},
    "categorisation_home": lambda w: {},
    "categorisation_run_list": lambda w: {},
    "categorisation_run_detail": _run_kwargs,
    "categorisation_run_confirm": _run_kwargs,
    "categorisation_run_resume": _run_kwargs,
    "categorisation_run_withdraw": _run_kwargs,
    "categorisation_run_due_date": _run_kwargs,
    "categorisation_letters_retry": _run_kwargs,
    "categorisation_letters_zip": _run_kwargs,
    "categorisation_result": _result_kwargs,
    "categorisation_letter": _result_kwargs,
    "categorisation_letter_template": lambda w: {},
    "categorisation_school": lambda w: {"urn": w.a.school.urn},
    "categorisation_run_progress": _run_kwargs,
    "categorisation_run_export": _run_kwargs,
    "categorisation_framework_edit": _framework_kwargs,
    "categorisation_framework_whatif": _framework_kwargs,
    "categorisation_framework_details": _framework_kwargs,
    "categorisation_framework_parameters": _framework_kwargs,
    "categorisation_framework_rows": _framework_kwargs,
    "categorisation_framework_category_add": _framework_kwargs,
    "categorisation_framework_json": _framework_kwargs,
    "categorisation_framework_export": _framework_kwargs,
    "categorisation_framework_category": _category_kwargs,
    "categorisation_framework_category_move": _category_kwargs,
    "categorisation_framework_category_remove": _category_kwargs,
    "categorisation_framework_criterion_move": _criterion_kwargs,
}
