from django.urls import path, re_path

from profiles import views
from profiles.address import views as address_views
from profiles.contact import views as contact_views
from profiles.history import views as history_views
from profiles.login import views as login_views
from profiles.preference import views as preference_views
from profiles.registers import views as register_views

app_name = "profiles"

CONTACT = r"(?P<slug>e-mailadres|telefoonnummer)"

urlpatterns = [
    # Login and session
    path("inloggen", views.login_choice, name="login"),
    re_path(
        r"^inloggen/(?P<method>digid|eherkenning|eidas)$",
        login_views.login_start,
        name="login_start",
    ),
    path("oidc/callback", login_views.callback, name="callback"),
    path("uitloggen", login_views.logout, name="logout"),
    path("uitgelogd", login_views.logged_out, name="logged_out"),
    path("sessie-verlopen", login_views.session_expired, name="session_expired"),
    path("sessie-verlengen", login_views.session_extend, name="session_extend"),
    # Mijn gegevens
    path("mijn-gegevens", views.overview, name="overview"),
    path("mijn-gegevens/wijzigingen", history_views.history, name="history"),
    path("mijn-gegevens/klopt-dit-niet", register_views.terugmelding, name="terugmelding"),
    # E-mail address and phone number: new value, check, code
    re_path(rf"^mijn-gegevens/{CONTACT}$", contact_views.contact_change, name="contact_change"),
    re_path(
        rf"^mijn-gegevens/{CONTACT}/controleren$", contact_views.contact_check, name="contact_check"
    ),
    re_path(rf"^mijn-gegevens/{CONTACT}/code$", contact_views.contact_code, name="contact_code"),
    re_path(
        rf"^mijn-gegevens/{CONTACT}/verwijderen$",
        contact_views.contact_remove,
        name="contact_remove",
    ),
    # Postal address: Netherlands or abroad, then the address, then check
    path("mijn-gegevens/postadres", address_views.address_where, name="address_where"),
    path("mijn-gegevens/postadres/nederland", address_views.address_nl, name="address_nl"),
    path("mijn-gegevens/postadres/kies", address_views.address_choose, name="address_choose"),
    path(
        "mijn-gegevens/postadres/buitenland", address_views.address_foreign, name="address_foreign"
    ),
    path("mijn-gegevens/postadres/controleren", address_views.address_check, name="address_check"),
    # General contact preference
    path("mijn-gegevens/contactvoorkeur", preference_views.preference_change, name="preference"),
    path(
        "mijn-gegevens/contactvoorkeur/controleren",
        preference_views.preference_check,
        name="preference_check",
    ),
]
