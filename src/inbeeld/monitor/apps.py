from django.apps import AppConfig


class MonitorConfig(AppConfig):
    name = "inbeeld.monitor"
    label = "monitor"

    def ready(self) -> None:
        from inbeeld.attendance.signals import rules_upgraded
        from inbeeld.monitor.jobs import register_jobs
        from inbeeld.monitor.refresh import refresh_after_rules_upgrade

        rules_upgraded.connect(refresh_after_rules_upgrade, dispatch_uid="monitor.rules_upgraded")
        register_jobs()
