"""Post: queued letters into a print batch (one merged PDF, a CSV manifest), marked sent."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from pypdf import PdfReader

from eenloket.messaging import outbox
from eenloket.messaging.models import MessageState

from .conftest import make_message, make_post_message

S = MessageState

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("manual_delivery")]


def test_batch_merges_the_letters_and_lists_them(enschede, maastricht, admin_enschede):
    first = make_post_message(enschede, pages=2)
    second = make_post_message(enschede, pages=1)
    elsewhere = make_post_message(maastricht)
    email = make_message(enschede)

    assert outbox.deliver_due() == 1  # the sweep never takes post (only the e-mail)
    batch = outbox.export_print_batch(user=admin_enschede, organisation=enschede)

    assert batch.letter_count == 2 and batch.created_by == admin_enschede
    pdf = PdfReader(io.BytesIO(bytes(batch.pdf)))
    assert len(pdf.pages) == 3
    text = "".join(page.extract_text() for page in pdf.pages)
    assert text.index(first.letter.recipient_name) < text.rindex(second.letter.recipient_name)
    rows = list(csv.reader(io.StringIO(batch.manifest)))
    assert rows[0] == outbox.MANIFEST_HEADER
    assert rows[1] == [
        str(first.uuid),
        first.letter.recipient_name,
        first.letter.recipient_name,
        "Oude Markt 12",
        "7511 GB  ENSCHEDE",
        "",
        "2",
        "Gemeente Enschede",
    ]
    assert rows[2][0] == str(second.uuid) and rows[2][6] == "1"
    for m in (first, second):
        m.refresh_from_db()
        assert m.state == S.PRINTING and m.print_batch == batch
    elsewhere.refresh_from_db()
    email.refresh_from_db()
    assert elsewhere.state == S.QUEUED and email.state == S.SENT

    outbox.mark_batch_sent(user=admin_enschede, batch=batch)
    first.refresh_from_db()
    batch.refresh_from_db()
    assert first.state == S.SENT and first.sent_at == batch.sent_at
    assert batch.sent_by == admin_enschede
    with pytest.raises(ValidationError):
        outbox.mark_batch_sent(user=admin_enschede, batch=batch)


def test_nothing_to_print_is_a_clear_error(enschede, admin_enschede):
    with pytest.raises(ValidationError) as refused:
        outbox.export_print_batch(user=admin_enschede, organisation=enschede)
    assert refused.value.messages == ["Er staan geen brieven klaar voor de drukker."]


def test_only_the_functional_admin_of_the_organisation(
    enschede, admin_maastricht, counter_enschede, admin_enschede
):
    make_post_message(enschede)
    for user in (admin_maastricht, counter_enschede):
        with pytest.raises(PermissionDenied):
            outbox.export_print_batch(user=user, organisation=enschede)
    batch = outbox.export_print_batch(user=admin_enschede, organisation=enschede)
    with pytest.raises(PermissionDenied):
        outbox.mark_batch_sent(user=admin_maastricht, batch=batch)
