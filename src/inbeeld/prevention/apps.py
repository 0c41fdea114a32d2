from django.apps import AppConfig


class PreventionConfig(AppConfig):
    name = "inbeeld.prevention"
    label = "prevention"

    def ready(self) -> None:
        # the child's page (attendance, a lower layer) shows the care signals that fired
        from inbeeld.attendance.extensions import register_care_signals
        from inbeeld.prevention.care_signals import care_signals_for

        register_care_signals(care_signals_for)

        # the monitor (a lower layer) counts the children on the school teams' lists by cause
        from inbeeld.monitor.extensions import register_school_team_causes
        from inbeeld.prevention.figures import school_team_causes

        register_school_team_causes(school_team_causes)
