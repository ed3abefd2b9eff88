"""The simulated participant: one model per task (``simulation/<task>.py``),
whole data-only sessions, and power analysis. The same model answers for the
autopilot in a real PsychoPy session."""
