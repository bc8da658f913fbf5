"""API tokens: POST username and password (and, for an NSI admin, a current two-factor code) to get a token.

The token is in this one response only; the database keeps its SHA-512 digest (django-rest-knox), so neither
the admin nor a database dump can show it again. Clients send `Authorization: Token <token>`."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import AuthToken
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from . import twofactor


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(trim_whitespace=False, style={"input_type": "password"})
    otp_token = serializers.CharField(
        required=False, allow_blank=True, help_text=_("The 6-digit two-factor code (NSI admins only).")
    )


class TokenObtainView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "api_token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer(
            "TokenResponse", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}
        ),
    )
    def post(self, request: Request) -> Response:
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # the Django request, so that django-axes counts the failure and can lock this username + address
        user = authenticate(
            request._request, username=data.validated_data["username"], password=data.validated_data["password"]
        )
        if user is None or not user.is_active:
            return Response({"detail": _("Wrong username or password.")}, status=status.HTTP_400_BAD_REQUEST)
        if twofactor.required_for(user) and not twofactor.verify_code(user, data.validated_data.get("otp_token", "")):
            return Response(
                {
                    "detail": _(
                        "NSI admins add otp_token: the current 6-digit code from their authenticator app "
                        "(enrol on the website first)."
                    )
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        instance, token = AuthToken.objects.create(user=user)
        return Response({"token": token, "expiry": instance.expiry})
