"""Signals of detection, for the apps above it (which attendance may not import)."""

from __future__ import annotations

from django.dispatch import Signal

#: sent after a detection run that followed a new version of the rules (RULES.md §7) was stored,
#: with ``run`` (the DetectionRun) and ``previous_version`` (None: v1): derived data of other apps
#: (the monitor's episodes) must be computed again under the new rules.
rules_upgraded = Signal()
