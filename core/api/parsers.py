"""The JSON parser of the API: DRF's, plus the limits of core.safe_json (depth, NUL, lone surrogates) as a 400."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from core.safe_json import UnsafeJSON, check_json, max_json_depth


class JSONParser(parsers.JSONParser):
    """Refuses, with 400 and a message saying why, a body nested deeper than API_JSON_MAX_DEPTH or holding text
    the database cannot store."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("JSON nested deeper than %(limit)d levels is not accepted.")
                             % {"limit": max_json_depth()}) from None
        try:
            check_json(data)
        except UnsafeJSON as error:
            raise ParseError(str(error)) from None
        return data
