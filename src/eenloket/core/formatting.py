"""One way to show dates and phone numbers on every screen (and in notifications).

Dates: the long form in the reader's language, "vrijdag 4 december 2026" (English: "Friday 4
December 2026"), with the time where it matters: "vrijdag 4 december 2026 om 14:05". Times are
shown in Europe/Amsterdam. Phone numbers are stored as E.164 ("+31534811111") or as free text on
organisations ("0800 2003"); they are shown the Dutch way ("053 481 1111", "06 12345678") and
dialled through a tel: link with the full number."""

import datetime as dt

import phonenumbers
from django.utils import formats, timezone
from django.utils.translation import gettext as _

LONG_DATE = "l j F Y"  # Django date format: weekday day month year, in the active language
BIRTH_DATE = "j F Y"  # the same without the weekday: for a birth date it only adds noise
TIME = "H:i"


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def long_date(value) -> str:
    """ "vrijdag 4 december 2026"; "" for no value."""
    if not value:
        return ""
    return formats.date_format(_local(value), LONG_DATE)


def birth_date(value) -> str:
    """ "4 december 1980": the long form without the weekday, for dates of birth."""
    if not value:
        return ""
    return formats.date_format(_local(value), BIRTH_DATE)


def long_datetime(value) -> str:
    """ "vrijdag 4 december 2026 om 14:05"; a date without time gets the date only."""
    if not value:
        return ""
    if not isinstance(value, dt.datetime):
        return long_date(value)
    value = _local(value)
    return _("%(date)s om %(time)s") % {
        "date": formats.date_format(value, LONG_DATE),
        "time": formats.time_format(value, TIME),
    }


def clock_time(value) -> str:
    """ "14:05" (Europe/Amsterdam) for a moment of which the day is clear from the context."""
    if not value:
        return ""
    return formats.time_format(_local(value), TIME)


def parse_phone(value):
    """The number (phonenumbers), Dutch unless it says otherwise; None when it is no valid one."""
    try:
        number = phonenumbers.parse(str(value), "NL")
    except phonenumbers.NumberParseException:
        return None
    return number if phonenumbers.is_valid_number(number) else None


def is_mobile_number(value) -> bool:
    """A valid mobile number: an sms can be sent to it."""
    number = parse_phone(value) if value else None
    return number is not None and phonenumbers.number_type(number) in (
        phonenumbers.PhoneNumberType.MOBILE,
        phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )


def phone_e164(value) -> str:
    """The number in E.164 ("+31612345678"); text that is no valid number as it is."""
    number = parse_phone(value) if value else None
    if number is None:
        return str(value or "")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def phone_display(value) -> str:
    """A Dutch number in the national form ("053 481 1111", "06 12345678", "0800 2003"), a
    foreign one in the international form ("+32 14 12 34 56"); text that is no phone number is
    shown as it is."""
    if not value:
        return ""
    number = parse_phone(value)
    if number is None:
        return str(value).strip()
    if number.country_code == 31:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def phone_href(value) -> str:
    """The tel: address: the full number (E.164); short Dutch numbers such as 14 053 as they
    are dialled. "" when the text is no phone number."""
    number = parse_phone(value) if value else None
    if number is None:
        return ""
    national = str(number.national_number)
    if number.country_code == 31 and len(national) <= 6:
        return f"tel:{national}"
    return "tel:" + phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def euro(value) -> str:
    """An amount the Dutch way: "€ 1.234,50" (also in English screens: the amounts are Dutch)."""
    if value is None:
        return ""
    text = f"{value:,.2f}".replace(",", "_").replace(".", ",").replace("_", ".")
    return f"€ {text}"
