"""The cases API: reads (cases and their parts) and writes (the sub-resources)."""
