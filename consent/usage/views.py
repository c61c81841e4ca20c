"""'Wie heeft mijn gegevens gebruikt?': every time an organisation asked for the person's details.

Read-only, so any login level will do. The records are the person's own by construction (see
consent.usage.selectors); the organisation filter can only narrow them.
"""

from django import forms
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from consent.usage.selectors import usage_organisations, usage_page
from profiles.login.session import level_required

CHOOSE_FROM_LIST = _("Choose an organisation from the list.")


class UsageFilterForm(forms.Form):
    organisatie = forms.TypedChoiceField(
        label=_("Organisation"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": CHOOSE_FROM_LIST},
    )

    def __init__(self, *args, organisations, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisatie"].choices = [
            ("", _("All organisations")),
            *[(organisation.pk, organisation.name) for organisation in organisations],
        ]


@require_safe
@level_required()
def usage(request):
    profile = request.user.profile
    organisations = usage_organisations(profile)
    # Without records there is no list to choose from, so nothing to check either.
    data = request.GET if organisations and "organisatie" in request.GET else None
    form = UsageFilterForm(data, organisations=organisations)
    usage = usage_page(
        profile,
        organisations=organisations,
        organisation_id=form.cleaned_data["organisatie"] if form.is_valid() else None,
        page_number=request.GET.get("pagina"),
    )
    return render(request, "consent/usage.html", {"form": form, "usage": usage})
