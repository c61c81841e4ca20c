"""How the organisation API reads a request body: JSON only.

ninja reads any body as JSON, whatever its Content-Type says; a caller sending text/plain would
be answered as if it had sent JSON. This parser runs after the token is checked, so a caller
without one still gets 401 first. (NUL characters are refused per field: core.api_schemas.)
"""

import json

from ninja.parser import Parser

from core.api_problems import ApiProblem


class JsonBodyParser(Parser):
    def parse_body(self, request):
        if request.content_type != "application/json":
            raise ApiProblem(
                415,
                "Unsupported Media Type",
                "Send the body as JSON, with Content-Type application/json.",
                code="unsupported_media_type",
            )
        return json.loads(request.body)
