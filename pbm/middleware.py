from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation.trans_real import parse_accept_lang_header

API_PREFIX = "/api/"


class ThaiFirstLocaleMiddleware:
    """Thai unless the person chose otherwise (the language switch sets a cookie).

    Django's LocaleMiddleware would follow the browser's Accept-Language, and most office browsers here say
    en-US; the programme's working language is Thai, so the browser's preference is deliberately ignored."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.languages = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if request.path.startswith(API_PREFIX) and (asked := self._accepted(request)):
            chosen = asked  # a system says which language its errors should be in; Thai when it says none we have
        language = chosen if chosen in self.languages else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(
            response, ("Cookie", "Accept-Language") if request.path.startswith(API_PREFIX) else ("Cookie",)
        )
        return response

    def _accepted(self, request: HttpRequest) -> str | None:
        """The first language of the API caller's Accept-Language that the programme has (th, en), else None."""
        for code, _quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
            base = code.split("-")[0].lower()
            if base in self.languages:
                return base
        return None
