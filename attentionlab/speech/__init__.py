"""Speech: the recogniser, the voice key, vocal responses and shadowing scoring.

Used live by vocal Stroop (experiments/stroop_voice.py) and afterwards by the
analysis (the dichotic task's shadowing scores). No PsychoPy here; the
recogniser needs the ``[speech]`` extra (PocketSphinx).
"""
