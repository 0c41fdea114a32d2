"""The cases API: one viewset for /api/v1/cases (views.py) and its serializers."""
