"""What is shown: task parameters, trial lists and stimulus generation.

Pure code: no window, no PsychoPy import, so it is fast to test and usable
on a machine without a display.
"""
