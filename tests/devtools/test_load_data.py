"""generate_load_data: fills PostgreSQL with valid, linked data and only tops up on a rerun."""

import io

import pytest
from django.core.management import call_command
from stdnum.nl import bsn as stdnum_bsn

from eenloket.contacts.models import ContactMoment
from eenloket.residents.models import Resident

# The command commits on its own connections.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]


def run(residents, contacts):
    out = io.StringIO()
    call_command(
        "generate_load_data",
        residents=residents,
        contacts=contacts,
        batch_size=500,
        stdout=out,
        stderr=io.StringIO(),
    )
    return out.getvalue()


def test_generates_valid_linked_data_and_tops_up_idempotently():
    run(300, 2000)
    assert Resident.objects.count() == 300
    assert ContactMoment.objects.count() == 2000
    bsns = list(Resident.objects.values_list("bsn", flat=True))
    assert all(stdnum_bsn.is_valid(b) for b in bsns)
    assert len(set(bsns)) == 300
    sample = Resident.objects.order_by("?").first()
    sample.full_clean()  # postcode format, names, BSN: what the model demands
    # Each lives in a municipality: its woongemeente (the basis for the municipality to see them).
    assert not Resident.objects.filter(municipality=None).exists()
    assert all(
        r.municipality.name == f"Gemeente {r.city}"
        for r in Resident.objects.select_related("municipality")[:50]
    )
    linked = ContactMoment.objects.exclude(resident=None).select_related("organisation", "staff")
    assert linked.count() > 1800  # about 5 % anonymous
    assert {c.organisation.code for c in linked[:500]} >= {"gemeente-enschede", "uwv"}

    run(300, 2000)  # same totals: nothing added
    assert (Resident.objects.count(), ContactMoment.objects.count()) == (300, 2000)
    run(400, 2500)  # bigger totals: only the difference
    assert (Resident.objects.count(), ContactMoment.objects.count()) == (400, 2500)
