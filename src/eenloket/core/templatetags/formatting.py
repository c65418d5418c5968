"""Template filters for dates and phone numbers: `{% load formatting %}`.

    {{ contact.started_at|long_datetime }}   vrijdag 4 december 2026 om 14:05
    {{ referral.accept_due_at|long_date }}   vrijdag 4 december 2026
    {{ resident.birth_date|birth_date }}     4 december 1980 (no weekday for a birth date)
    {{ consult.expires_at|clock_time }}      14:05
    {{ user.direct_phone|phone }}            053 481 1111
    {{ user.direct_phone|phone_link }}       <a class="utrecht-link phone" href="tel:+31534811111">053 481 1111</a>

See core/formatting.py for the rules."""

from django import template
from django.utils.html import format_html

from eenloket.core import formatting

register = template.Library()


@register.filter(expects_localtime=True)
def long_date(value):
    return formatting.long_date(value)


@register.filter
def birth_date(value):
    return formatting.birth_date(value)


@register.filter(expects_localtime=True)
def long_datetime(value):
    return formatting.long_datetime(value)


@register.filter(expects_localtime=True)
def clock_time(value):
    return formatting.clock_time(value)


@register.filter
def phone(value):
    return formatting.phone_display(value)


@register.filter
def phone_link(value, default="–"):
    """A tel: link with the number shown the Dutch way; `default` when there is no number."""
    if not value:
        return default
    href = formatting.phone_href(value)
    if not href:
        return formatting.phone_display(value)
    return format_html(
        '<a class="utrecht-link phone" href="{}">{}</a>', href, formatting.phone_display(value)
    )


@register.filter
def euro(value):
    """ "€ 1.234,50" (core.formatting.euro)."""
    return formatting.euro(value)


@register.filter
def get_item(mapping, key):
    """`{{ labels|get_item:code }}`: a label from a dict (a code is never shown raw)."""
    return mapping.get(key, key) if hasattr(mapping, "get") else key
