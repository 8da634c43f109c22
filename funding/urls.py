from django.urls import path

from . import views

urlpatterns = [
    path("funding/bids/<uuid:bid_uuid>/a1.pdf", views.bid_a1_pdf, name="funding_bid_a1_pdf"),
    path("funding/bids/<uuid:bid_uuid>/a2.pdf", views.bid_a2_pdf, name="funding_bid_a2_pdf"),
    path("funding/plans/<uuid:plan_uuid>/a3.pdf", views.plan_a3_pdf, name="funding_plan_a3_pdf"),
]
