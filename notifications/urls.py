from django.urls import path

from notifications import views

app_name = "notifications"

urlpatterns = [
    path("berichten", views.inbox, name="inbox"),
    path("berichten/<int:message_id>", views.message, name="message"),
    path("berichten/voorkeuren", views.preferences, name="preferences"),
]
