"""Cross-tenant entries for the schools app's pages and API: url name -> kwargs built from partnership
A's objects (see tests/test_cross_tenant.py). Every schools URL must be listed here."""

from django.core.files.base import ContentFile


def _import_run_uuid(world):
    from schools.models import ImportRun

    run = ImportRun.objects.filter(partnership=world.a.partnership).first() or ImportRun.objects.create(
        partnership=world.a.partnership,
        kind="ofsted",
        filename="a.csv",
        file=ContentFile(b"URN,Rating,Inspection Date\n", name="a.csv"),
        status=ImportRun.Status.PREVIEWED,
    )
    return run.uuid


SCHOOLS_URLS = {
    "school_list": lambda w: {},
    "school_export": lambda w: {},  # A's school list as CSV
    "school_detail": lambda w: {"urn": w.a.school.urn},
    "school_judgements": lambda w: {"urn": w.a.school.urn, "year": "2022-23"},  # A's LA judgements (protected)
    "cluster_list": lambda w: {},
    "cluster_detail": lambda w: {"cluster_slug": w.a.cluster.slug},
    "import_list": lambda w: {},
    "import_upload": lambda w: {},
    "import_template": lambda w: {},
    "import_detail": lambda w: {"run_uuid": _import_run_uuid(w)},
    "import_apply": lambda w: {"run_uuid": _import_run_uuid(w)},
    "api_school_list": lambda w: {},
    "api_school_detail": lambda w: {"urn": w.a.school.urn},
    "api_cluster_list": lambda w: {},
    "api_cluster_detail": lambda w: {"cluster_slug": w.a.cluster.slug},
    "api_inspection_list": lambda w: {},
    "api_result_list": lambda w: {},
    "api_benchmark_list": lambda w: {},
    "api_judgement_list": lambda w: {},  # A's LA judgements (protected)
    "api_categorisation_list": lambda w: {},  # A's categorisation results (protected)
    "api_school_judgements": lambda w: {"urn": w.a.school.urn},
    "api_school_categorisations": lambda w: {"urn": w.a.school.urn},
}
