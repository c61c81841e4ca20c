"""The portal's URLs plus one page that needs the 'change contact details' level."""

from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as portal_urlpatterns
from profiles.login.session import level_required


@level_required("LOA_CHANGE_CONTACT_DETAILS")
def change_form(request):
    return HttpResponse("change form")


urlpatterns = [path("wijzigen-test", change_form), *portal_urlpatterns]
handler404 = "config.views.page_not_found"
