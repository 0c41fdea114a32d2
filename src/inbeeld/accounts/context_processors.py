from inbeeld.accounts.permissions import Permission


def acting(request):
    return {"actor": getattr(request, "actor", None), "Permission": Permission}
