"""The API under /api/v1/ (Dutch API Design Rules: plural nouns, no trailing slashes) and its
OpenAPI spec at /api/v1/openapi.json."""

from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.views import SpectacularJSONAPIView
from rest_framework.routers import SimpleRouter

from inbeeld.api.schema import PROBLEM_JSON
from inbeeld.attendance.api import AbsenceViewSet, FindingViewSet, MeldingViewSet
from inbeeld.barriers.api import BarrierViewSet
from inbeeld.cases.api.views import CaseViewSet
from inbeeld.concerns.api import ConcernViewSet, MatchViewSet
from inbeeld.correspondence.api import ContactEntryViewSet, LetterViewSet
from inbeeld.exemptions.api import ExemptionRequestViewSet
from inbeeld.leave.api import LeaveRequestViewSet
from inbeeld.monitor.api import FiguresNowView, FiguresTellingView, FiguresTrendsView
from inbeeld.notifications.api import NotificationViewSet
from inbeeld.people.api.organisations import OrganisationViewSet
from inbeeld.people.api.students import EnrolmentViewSet, ExemptionViewSet, StudentViewSet
from inbeeld.prevention.api import SchoolTeamEntryViewSet, SchoolTeamViewSet

router = SimpleRouter(trailing_slash=False)
router.register("students", StudentViewSet, basename="student")
router.register("enrolments", EnrolmentViewSet, basename="enrolment")
router.register("absences", AbsenceViewSet, basename="absence")
router.register("exemptions", ExemptionViewSet, basename="exemption")
router.register("leave-requests", LeaveRequestViewSet, basename="leave-request")
router.register("exemption-requests", ExemptionRequestViewSet, basename="exemption-request")
router.register("findings", FindingViewSet, basename="finding")
router.register("meldingen", MeldingViewSet, basename="melding")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("cases", CaseViewSet, basename="case")
router.register("barriers", BarrierViewSet, basename="barrier")
router.register("school-teams", SchoolTeamViewSet, basename="school-team")
router.register("school-team-entries", SchoolTeamEntryViewSet, basename="school-team-entry")
router.register("notifications", NotificationViewSet, basename="notification")
router.register("concerns", ConcernViewSet, basename="concern")
router.register("matches", MatchViewSet, basename="match")
router.register("contact-entries", ContactEntryViewSet, basename="contact-entry")
router.register("letters", LetterViewSet, basename="letter")


@csrf_exempt
def not_found(request, rest: str = ""):
    """Any other path under /api/v1/ (a trailing slash, a typo): 404 as problem+json too."""
    problem = {
        "type": "about:blank",
        "title": "Not found",
        "status": 404,
        "detail": "Deze URL bestaat niet in de API (zie /api/v1/openapi.json).",
        "instance": request.get_full_path(),
    }
    return JsonResponse(problem, status=404, content_type=PROBLEM_JSON)


app_name = "api"
urlpatterns = [
    path("openapi.json", SpectacularJSONAPIView.as_view(), name="openapi"),
    *router.urls,
    path("figures/now", FiguresNowView.as_view(), name="figures-now"),
    path("figures/trends", FiguresTrendsView.as_view(), name="figures-trends"),
    path("figures/leerplichttellingen/<int:school_year>", FiguresTellingView.as_view()),
    path("", not_found),
    path("<path:rest>", not_found),
]
