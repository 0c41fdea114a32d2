from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "inbeeld.accounts"
    label = "accounts"
    verbose_name = "Organisaties en gebruikers"
