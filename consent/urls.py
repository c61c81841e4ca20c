from django.urls import path

from consent import views
from consent.usage import views as usage_views

app_name = "consent"

urlpatterns = [
    path("toestemmingen", views.overview, name="overview"),
    path("toestemmingen/<int:doelbinding_id>/geven", views.consent_give_view, name="give"),
    path(
        "toestemmingen/<int:doelbinding_id>/intrekken", views.consent_withdraw_view, name="withdraw"
    ),
    path("toestemmingen/geschiedenis", views.history, name="history"),
    path("wie-gebruikte-mijn-gegevens", usage_views.usage, name="usage"),
]
