"""{% load worklist %}: a task's deadline in words ("vandaag, zaterdag 5 december 2026 om
17:00"), its kind's name and who has it."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import gettext as _

from eenloket.core import formatting

from .. import overview

register = template.Library()


@register.filter
def due_text(value):
    if not value:
        return ""
    today = timezone.localdate()
    day = timezone.localtime(value).date()
    text = formatting.long_datetime(value)
    if day == today:
        return _("vandaag, %(when)s") % {"when": text}
    if day == today + dt.timedelta(days=1):
        return _("morgen, %(when)s") % {"when": text}
    return text


@register.filter
def kind_label(code):
    return overview.kind_label(code)


@register.filter
def holder(task):
    return overview.holder_text(task)
