from django.urls import path

from . import api

urlpatterns = [
    path("funds/", api.FundListView.as_view(), name="api_fund_list"),
    path("funds/<uuid:fund_id>/allocations/", api.FundAllocationsView.as_view(), name="api_fund_allocations"),
    path("rate-card/", api.RateCardView.as_view(), name="api_rate_card"),
    path("bids/", api.BidListView.as_view(), name="api_bid_list"),
    path("bids/<uuid:bid_id>/", api.BidDetailView.as_view(), name="api_bid_detail"),
    path("bids/<uuid:bid_id>/actions/<slug:action>/", api.BidActionView.as_view(), name="api_bid_action"),
]
