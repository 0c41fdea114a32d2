from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "inbeeld.cases"
    label = "cases"

    def ready(self) -> None:
        # the thuiszitters list (attendance, a lower layer) shows each child's case and offer
        from inbeeld.attendance.extensions import register_case_offers
        from inbeeld.cases.selectors import case_offers_for

        register_case_offers(case_offers_for)
