"""The classroom: each task's textbook value and plain words, the class
report and its figures. The demo's screens are PsychoPy and live in
experiments/classroom.py."""
