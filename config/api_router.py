"""The one API router: /api/v1/<plural-kebab-case>/."""

from django.urls import path
from rest_framework.routers import DefaultRouter

from assessments.api.routes import ROUTES as ASSESSMENT_ROUTES
from assessments.api.routes import URLS as ASSESSMENT_URLS
from core.api.changes import ChangesView
from core.api.tokens import ApiTokenViewSet
from core.api.views import ObtainTokenView
from core.webhooks.api import WebhookSubscriptionViewSet
from planning.api.journeys import (
    ChannelViewSet,
    JourneyViewSet,
    PersonaViewSet,
    StageViewSet,
    StakeholderViewSet,
    TouchpointViewSet,
)
from roadmaps.api.routes import ROUTES as ROADMAP_ROUTES
from roadmaps.api.routes import URLS as ROADMAP_URLS
from tenancy.api.views import MembershipViewSet, OrganisationViewSet, PlanViewSet, TeamViewSet
from workshops.api.comments import CommentViewSet

router = DefaultRouter()
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("memberships", MembershipViewSet, basename="membership")
router.register("teams", TeamViewSet, basename="team")
router.register("plans", PlanViewSet, basename="plan")
router.register("channels", ChannelViewSet, basename="channel")
router.register("personas", PersonaViewSet, basename="persona")
router.register("stakeholders", StakeholderViewSet, basename="stakeholder")
router.register("journeys", JourneyViewSet, basename="journey")
router.register("stages", StageViewSet, basename="stage")
router.register("touchpoints", TouchpointViewSet, basename="touchpoint")
router.register("webhook-subscriptions", WebhookSubscriptionViewSet, basename="webhook-subscription")
router.register("api-tokens", ApiTokenViewSet, basename="api-token")
router.register("comments", CommentViewSet, basename="comment")

for prefix, viewset, basename in [*ASSESSMENT_ROUTES, *ROADMAP_ROUTES]:
    router.register(prefix, viewset, basename=basename)

urlpatterns = [path("auth/token/", ObtainTokenView.as_view(), name="api-token"), *ASSESSMENT_URLS, *ROADMAP_URLS]
urlpatterns += router.urls
urlpatterns += [path("changes/", ChangesView.as_view(), name="changes")]
