from django.urls import path, re_path

from consent import views
from consent.receipts import views as receipt_views
from consent.usage import views as usage_views

app_name = "consent"

EVENT = r"(?P<event>given|withdrawn)"

urlpatterns = [
    path("toestemmingen", views.overview, name="overview"),
    path("toestemmingen/<int:doelbinding_id>/geven", views.consent_give_view, name="give"),
    path(
        "toestemmingen/<int:doelbinding_id>/intrekken", views.consent_withdraw_view, name="withdraw"
    ),
    path("toestemmingen/geschiedenis", views.history, name="history"),
    re_path(
        rf"^toestemmingen/bewijs/(?P<consent_id>[0-9]+)/{EVENT}$",
        receipt_views.receipt_page,
        name="receipt",
    ),
    re_path(
        rf"^toestemmingen/bewijs/(?P<consent_id>[0-9]+)/{EVENT}\.json$",
        receipt_views.receipt_json,
        name="receipt_json",
    ),
    path("wie-gebruikte-mijn-gegevens", usage_views.usage, name="usage"),
]
