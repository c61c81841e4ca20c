from django.urls import path

from profiles.rights import views

app_name = "rights"

urlpatterns = [
    path("mijn-gegevens/downloaden", views.download, name="download"),
    path(
        "mijn-gegevens/downloaden/<int:export_id>/bestand.json",
        views.download_json,
        name="download_json",
    ),
    path(
        "mijn-gegevens/downloaden/<int:export_id>/overzicht",
        views.download_page,
        name="download_page",
    ),
    path("mijn-gegevens/verwijderen", views.erase, name="erase"),
    path("mijn-gegevens/verwijderen/bevestigen", views.erase_confirm, name="erase_confirm"),
    path("gegevens-verwijderd", views.erased, name="erased"),
]
