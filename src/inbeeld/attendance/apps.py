from django.apps import AppConfig


class AttendanceConfig(AppConfig):
    name = "inbeeld.attendance"
    label = "attendance"

    def ready(self) -> None:
        from inbeeld.attendance.jobs import register_jobs

        register_jobs()
