"""Funding's pages. So far: a bid as its A1 paper form, for whoever may see the bid."""

from django.http import Http404, HttpResponse

from . import documents, selectors


def bid_a1_pdf(request, partnership_slug, bid_uuid):
    bid = (
        selectors.bids_for(request.partnership, request.user, request.roles, request.memberships)
        .filter(uuid=bid_uuid)
        .first()
    )
    if bid is None:
        raise Http404("No such bid, or not one you may see.")
    response = HttpResponse(documents.bid_pdf(bid), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{documents.bid_filename(bid)}"'
    return response
