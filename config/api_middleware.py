"""Every answer of the organisation API carries its full version (NL GOV API Design Rules)."""

from config.api import API_VERSION

API_PREFIX = "/api/profielen/v1"


class ApiVersionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(API_PREFIX):
            response["API-Version"] = API_VERSION
        return response
