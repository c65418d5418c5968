"""The appointment as an ICS file (RFC 5545, `icalendar`), for the resident's agenda."""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event


def ics(appointment) -> str:
    calendar = Calendar()
    calendar.add("prodid", "-//Een Loket//afspraken//NL")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.uuid}@{settings.MESSAGING_MESSAGE_ID_DOMAIN}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", appointment.starts_at)
    event.add("dtend", appointment.ends_at)
    event.add("summary", _("Afspraak: %(title)s") % {"title": appointment.title})
    location = appointment.location
    event.add("location", f"{location.name}, {location.address}")
    description = [_("Afspraakcode: %(code)s") % {"code": appointment.reference}]
    if appointment.needs:
        description.append(
            _("Ondersteuning: %(needs)s") % {"needs": ", ".join(appointment.need_labels())}
        )
    event.add("description", "\n".join(description))
    event.add("status", "CANCELLED" if appointment.state == "geannuleerd" else "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical().decode()
