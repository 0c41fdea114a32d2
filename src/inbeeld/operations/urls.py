from django.urls import path

from inbeeld.operations import views

app_name = "operations"
urlpatterns = [
    path("<int:pk>/", views.job_page, name="job"),
    path("<int:pk>/voortgang/", views.job_status, name="job_status"),
    path("<int:pk>/opnieuw/", views.job_retry, name="job_retry"),
]
