"""API of messaging (OpenAPI via drf-spectacular).

Outbox (`/api/v1/messages/`): the functional admin (functioneel beheerder) of an organisation
sees its messages, newest first, filtered by state, channel and resident; anyone else gets 403.
Steps `retry` and `cancel` (POST) follow states.py: a step that does not fit the state is a 409
problem (`code` invalid_transition). Every read of messages to residents is logged.

Delivery receipts of NotifyNL (`POST /api/v1/messages/receipts/notify/`): authorised with
`Authorization: Bearer <NOTIFY_CALLBACK_TOKEN>`, not with a user."""

import hmac

from django.conf import settings
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from eenloket.core import permissions
from eenloket.core.api import NewestFirstCursorPagination
from eenloket.organisations.permissions import requires

from . import outbox, outbox_selectors
from .models import DeliveryAttempt, Message, MessageChannel, MessageState

IsFunctionalAdmin = requires(permissions.is_functional_admin, "IsFunctionalAdmin")

PROBLEM = OpenApiResponse(description="Problem (RFC 7807, application/problem+json).")
ERRORS = {
    400: OpenApiResponse(description="Ongeldige invoer: problem+json met `invalid_params`."),
    401: PROBLEM,
    403: PROBLEM,
    404: PROBLEM,
}
STATE_ERRORS = {
    **ERRORS,
    409: OpenApiResponse(
        description="Kan niet in de huidige stand van het bericht (`code`: "
        "invalid_transition): problem+json."
    ),
}


# ---- serializers ------------------------------------------------------------------------------------
class DeliveryAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = DeliveryAttempt
        fields = ["at", "result", "detail"]


class MessageSerializer(serializers.ModelSerializer):
    organisation = serializers.SlugRelatedField(slug_field="code", read_only=True)
    organisation_name = serializers.CharField(source="organisation.name", read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    channel_label = serializers.CharField(source="get_channel_display", read_only=True)
    resident = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    letter = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    print_batch = serializers.SlugRelatedField(slug_field="uuid", read_only=True)
    available_actions = serializers.SerializerMethodField()

    class Meta:
        model = Message
        fields = [
            "uuid",
            "organisation",
            "organisation_name",
            "channel",
            "channel_label",
            "state",
            "state_label",
            "recipient_name",
            "to",
            "subject",
            "body",
            "resident",
            "letter",
            "print_batch",
            "template_key",
            "language",
            "fallback_reason",
            "attempts",
            "next_attempt_at",
            "last_error",
            "provider_id",
            "created_at",
            "sent_at",
            "delivered_at",
            "available_actions",
        ]
        read_only_fields = fields

    def get_available_actions(self, message) -> list[str]:
        return outbox_selectors.available_actions(self.context["request"].user, message)


class MessageDetailSerializer(MessageSerializer):
    delivery_attempts = DeliveryAttemptSerializer(many=True, read_only=True)

    class Meta(MessageSerializer.Meta):
        fields = [*MessageSerializer.Meta.fields, "delivery_attempts"]
        read_only_fields = fields


class MessageFilter(filters.FilterSet):
    state = filters.ChoiceFilter(choices=MessageState.choices)
    channel = filters.ChoiceFilter(choices=MessageChannel.choices)
    resident = filters.UUIDFilter(field_name="resident__uuid")

    class Meta:
        model = Message
        fields = []


class MessagePagination(NewestFirstCursorPagination):
    ordering = ("-created_at", "-id")


# ---- the outbox -------------------------------------------------------------------------------------
class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Messages to residents of the organisations you are functional admin of."""

    serializer_class = MessageSerializer
    filterset_class = MessageFilter
    filter_backends = [filters.DjangoFilterBackend]
    pagination_class = MessagePagination
    permission_classes = [IsFunctionalAdmin]
    lookup_field = "uuid"

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Message.objects.none()
        return outbox_selectors.visible_messages(self.request.user).select_related(
            *outbox_selectors.RELATED
        )

    @extend_schema(
        summary="Berichten (uitgaande post, e-mail en sms) van uw organisatie",
        responses={200: MessageSerializer(many=True), **ERRORS},
    )
    def list(self, request, *args, **kwargs):
        response = super().list(request, *args, **kwargs)
        page = getattr(self.paginator, "page", None) or []
        outbox_selectors.log_shown(request.user, page, channel="api")
        return response

    @extend_schema(
        summary="Eén bericht, met de verzendpogingen",
        responses={200: MessageDetailSerializer, **ERRORS},
    )
    def retrieve(self, request, uuid=None):
        message = outbox_selectors.get_message(request.user, uuid, channel="api")
        return Response(MessageDetailSerializer(message, context={"request": request}).data)

    def _step(self, uuid, step):
        message = outbox_selectors.find_message(self.request.user, uuid)
        step(user=self.request.user, message=message, via="api")
        message = outbox_selectors.get_message(self.request.user, uuid, channel="api")
        return Response(MessageDetailSerializer(message, context={"request": self.request}).data)

    @extend_schema(
        summary="Opnieuw proberen (mislukt of niet afgeleverd)",
        request=None,
        responses={200: MessageDetailSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, uuid=None):
        return self._step(uuid, outbox.retry)

    @extend_schema(
        summary="Annuleren (nog niet verstuurd, mislukt of niet afgeleverd)",
        request=None,
        responses={200: MessageDetailSerializer, **STATE_ERRORS},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, uuid=None):
        return self._step(uuid, outbox.cancel)


# ---- delivery receipts (NotifyNL callback) ----------------------------------------------------------
class NotifyReceiptSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    reference = serializers.CharField(
        max_length=100, required=False, allow_blank=True, allow_null=True, default=""
    )
    status = serializers.ChoiceField(
        choices=[
            "created",
            "sending",
            "pending",
            "delivered",
            "permanent-failure",
            "temporary-failure",
            "technical-failure",
        ]
    )
    completed_at = serializers.DateTimeField(required=False, allow_null=True, default=None)

    def validate(self, data):
        if not data.get("id") and not data.get("reference"):
            raise serializers.ValidationError("Geef `id` of `reference`.")
        return data


class NotifyReceiptView(APIView):
    """Delivery receipts from NotifyNL: delivered → afgeleverd, a failure → niet afgeleverd."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request):
        return 'Bearer realm="notify-callback"'

    def check_token(self, request):
        expected = settings.NOTIFY_CALLBACK_TOKEN
        header = request.headers.get("Authorization", "")
        given = header[len("Bearer ") :] if header.startswith("Bearer ") else ""
        if not expected or not hmac.compare_digest(given.encode(), expected.encode()):
            raise exceptions.NotAuthenticated("De callback-sleutel ontbreekt of klopt niet.")

    @extend_schema(
        summary="Ontvangstbevestiging van NotifyNL (callback)",
        request=NotifyReceiptSerializer,
        responses={
            204: OpenApiResponse(description="Verwerkt."),
            400: ERRORS[400],
            401: PROBLEM,
            404: PROBLEM,
        },
        auth=[],
    )
    def post(self, request):
        self.check_token(request)
        body = NotifyReceiptSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        message = outbox.apply_receipt(
            reference=data.get("reference") or "",
            provider_id=data.get("id") or "",
            status=data["status"],
            at=data.get("completed_at"),
        )
        if message is None:
            raise exceptions.NotFound("Dit bericht kennen wij niet.")
        return Response(status=status.HTTP_204_NO_CONTENT)
