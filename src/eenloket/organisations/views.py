from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from eenloket.core import permissions

from . import selectors
from .models import Organisation


@login_required
def directory(request):
    """Named contact persons with their direct numbers: for staff of an organisation only (as
    in the API), not for any account that can sign in."""
    permissions.require(permissions.is_staff_member, selectors.get_scope(request.user))
    query = request.GET.get("q", "").replace("\x00", "").strip()[:200]  # no NUL for PostgreSQL
    organisation = request.GET.get("organisatie", "").replace("\x00", "")
    entries = selectors.staff_directory(query=query, organisation_code=organisation)
    page = Paginator(entries, 50).get_page(request.GET.get("pagina"))
    template = (
        "organisations/_directory_results.html" if request.htmx else "organisations/directory.html"
    )
    return render(
        request,
        template,
        {
            "page": page,
            "query": query,
            "organisation": organisation,
            "organisations": Organisation.objects.order_by("name"),
        },
    )
