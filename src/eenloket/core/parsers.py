"""The API's request parsers (REST_FRAMEWORK["DEFAULT_PARSER_CLASSES"]). A module of its own:
DRF reads that setting while `rest_framework.views` is imported, so it cannot live in core.api."""

import codecs
import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers
from rest_framework.utils import json as drf_json


def json_depth(value, limit: int) -> int:
    """How deeply lists and objects are nested in parsed JSON (a scalar is 0, `[]` is 1).
    Iterative, and it stops as soon as the depth passes `limit`."""
    deepest = 0
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            children = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        deepest = max(deepest, depth)
        if deepest > limit:
            break
        stack.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser with a limit on nesting (settings.API_MAX_JSON_DEPTH) and Dutch errors.
    Python's decoder gives up at about 1,000 levels with a RecursionError (a 500 before); no
    request body of this API is nested more than a few levels."""

    def parse(self, stream, media_type=None, parser_context=None):
        encoding = parsers.get_encoding(parser_context or {})
        limit = settings.API_MAX_JSON_DEPTH  # conf/settings/base.py
        too_deep = _(
            "De gegevens zijn te diep in elkaar genest. Er mogen ten hoogste %(limit)s lagen zijn."
        ) % {"limit": limit}
        try:
            decoded = codecs.getreader(encoding)(stream)
            parse_constant = drf_json.strict_constant if self.strict else None
            data = json.load(decoded, parse_constant=parse_constant)
        except RecursionError as exc:
            raise exceptions.ParseError(too_deep) from exc
        except json.JSONDecodeError as exc:
            raise exceptions.ParseError(
                _("Dit is geen geldige JSON (regel %(line)s, teken %(column)s).")
                % {"line": exc.lineno, "column": exc.colno}
            ) from exc
        except ValueError as exc:  # NaN/Infinity (strict), or bytes that are not the charset
            raise exceptions.ParseError(_("Dit is geen geldige JSON.")) from exc
        if json_depth(data, limit) > limit:
            raise exceptions.ParseError(too_deep)
        return data
