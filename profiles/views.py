from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST


@require_GET
def login_choice(request):
    return render(request, "profiles/login.html", {"next": request.GET.get("next", "")})


@require_GET
def login_start(request, method: str):
    raise Http404  # the broker flow arrives with the login issue


@require_POST
def logout(request):
    return redirect("home")
