from django.urls import path

from profiles import views

app_name = "profiles"

urlpatterns = [
    path("inloggen", views.login_choice, name="login"),
    path("inloggen/<str:method>", views.login_start, name="login_start"),
    path("uitloggen", views.logout, name="logout"),
]
