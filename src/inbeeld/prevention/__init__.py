"""Prevention (issue 12): seeing a child before it stays home. For now the care signals
(zorgsignalen) shown on the child's page; the rules themselves are in ``inbeeld.rules.care_signals``."""
