"""URL map. Each app owns its url module; this file only mounts them."""

from django.urls import include, path

from inbeeld.operations.health import health

urlpatterns = [
    path("", include("inbeeld.today.urls")),  # home: "Vandaag", what each person has to do
    path("", include("inbeeld.attendance.urls")),  # thuiszitters, meldingen, child pages
    path("import/", include("inbeeld.attendance.import_urls")),  # imports and their reports
    path("registratie/", include("inbeeld.people.urls")),  # schools' own free days
    path("accounts/", include("inbeeld.accounts.urls")),  # login, logout, choose organisation
    path("accounts/passkeys/", include("inbeeld.accounts.passkey_urls")),  # django-otp-webauthn
    path("beheer/", include("inbeeld.accounts.admin_urls")),  # functioneel beheer, own org only
    path("zorgen/", include("inbeeld.concerns.urls")),  # concerns and their matches
    path("zaken/", include("inbeeld.cases.urls")),  # cases, teams, meetings, escalation
    path("verlof/", include("inbeeld.leave.urls")),  # leave requests (art. 13a, 14)
    path("vrijstellingen/", include("inbeeld.exemptions.urls")),  # exemption requests and review
    path("schoolteams/", include("inbeeld.prevention.urls")),  # school teams and their lists
    path("belemmeringen/", include("inbeeld.barriers.urls")),  # barriers of a case (issue 11 §6)
    path("monitor/", include("inbeeld.monitor.urls")),  # dashboards, targets, leerplichttelling
    path("correspondentie/", include("inbeeld.correspondence.urls")),  # contact log and letters
    path("privacy/", include("inbeeld.privacy.urls")),  # the privacy officer: access, inzage
    path("berichten/", include("inbeeld.notifications.urls")),  # notifications, e-mail settings
    path("api/v1/", include("inbeeld.api.urls")),  # the API and its OpenAPI spec
    path("taken/", include("inbeeld.operations.urls")),  # background jobs: progress, retry
    path("gezondheid/", health, name="health"),  # the load balancer's health check (JSON)
    path("i18n/", include("django.conf.urls.i18n")),  # set_language: the language switch
]

# Errors: styled Dutch pages (ui/templates/403.html, 404.html, 500.html), problem+json under /api/
handler400 = "inbeeld.ui.errors.bad_request"
handler403 = "inbeeld.ui.errors.permission_denied"
handler404 = "inbeeld.ui.errors.page_not_found"
handler500 = "inbeeld.ui.errors.server_error"
