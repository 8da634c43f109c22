from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from partnership.permissions import rule_required
from partnership.selectors import audit_for_object
from partnership.spreadsheets import csv_response

from . import selectors, services
from .forms import ImportUploadForm
from .importers import summary_lines
from .importers.local import TEMPLATE_COLUMNS, TEMPLATE_EXAMPLE

PAGE_SIZE = 50


def cluster_list(request, partnership_slug):
    return render(request, "schools/cluster_list.html", {"clusters": selectors.cluster_list(request.partnership)})


# ---- imports (LA officers) ------------------------------------------------------------------------


@rule_required(services.can_import)
def import_list(request, partnership_slug):
    page = Paginator(selectors.import_run_list(request.partnership), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "schools/import_list.html", {"page": page})


@rule_required(services.can_import)
def import_upload(request, partnership_slug):
    form = ImportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            run = services.import_run_create(
                actor=request.user,
                partnership=request.partnership,
                kind=form.cleaned_data["kind"],
                filename=upload.name,
                content=upload.read(),
                academic_year=form.cleaned_data["academic_year"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("import_detail", partnership_slug=partnership_slug, run_uuid=run.uuid)
    return render(
        request,
        "schools/import_upload.html",
        {
            "form": form,
            "template_columns": TEMPLATE_COLUMNS,
        },
    )


@rule_required(services.can_import)
def import_detail(request, partnership_slug, run_uuid):
    run = selectors.get_import_run(request.partnership, run_uuid)
    listed = (run.summary or {}).get("changes", [])
    return render(
        request,
        "schools/import_detail.html",
        {
            "run": run,
            "summary": summary_lines(run.summary) if run.summary else [],
            "page": Paginator(listed, PAGE_SIZE).get_page(request.GET.get("page")) if listed else None,
            "changes_total": (run.summary or {}).get("changes_total", 0),
            "changes_listed": len(listed),
            "audit": audit_for_object(request.partnership, run),
        },
    )


@require_POST
@rule_required(services.can_import)
def import_apply(request, partnership_slug, run_uuid):
    run = selectors.get_import_run(request.partnership, run_uuid)
    try:
        services.import_run_confirm(actor=request.user, run=run)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"The import of {run.filename} is being applied.")
    return redirect(reverse("import_detail", kwargs={"partnership_slug": partnership_slug, "run_uuid": run.uuid}))


@rule_required(services.can_import)
def import_template(request, partnership_slug):
    """The local data CSV template: the header, one example row (delete it) and nothing else."""
    response, writer = csv_response("local-data-template.csv")
    writer.writerow(TEMPLATE_COLUMNS)
    writer.writerow(TEMPLATE_EXAMPLE)
    return response
