"""What the data mean: reading session files, cleaning RTs, statistics, report.

Pure pandas/scipy/pingouin/statsmodels/matplotlib (Agg) code: nothing here
imports PsychoPy, so the analysis runs on a machine without a display. The
simulated participant is in :mod:`attentionlab.simulation`, speech
recognition and shadowing scores in :mod:`attentionlab.speech`, the classroom
in :mod:`attentionlab.classroom`.

Modules, one concept each:

* reading the data: ``reading`` (our session CSVs and their JSON sidecars,
  with bad-file handling), ``mapping``, ``mapping_selection`` and
  ``mapping_text`` (other labs' and PsychoPy Builder files through a TOML
  mapping), ``problems`` (which file and line is wrong, and why);
* what is analysed: ``trials`` (the unit, participant x session, and the
  test phase), ``cleaning`` and ``cleaning_steps`` (error removal, RT bounds,
  SD/MAD trimming, or a mapping's declared steps, with counts);
* shared statistics: ``statistics`` (t-tests, CIs of means and proportions,
  McNemar, bootstrap, per-participant averages, their wording) and
  ``reliability`` (split-half, Spearman-Brown);
* each task's analysis, ``<task>.py`` for every task of
  :data:`attentionlab.tasks.TASKS` (stroop, search, conjunctions, flicker,
  inattention, dichotic, posner; search and Stroop have their report text
  and figures beside them in ``search_report``, ``search_figures`` and
  ``stroop_figures``), each meeting the contract of ``registry``, which also
  finds them by name;
* the run: ``settings`` (what decides a result), ``pipeline`` (read, check,
  clean, compute, write), ``notices`` (what could not be computed, in words),
  ``output_folder`` (all-or-nothing outputs);
* the outputs: ``figures`` (journal-style helpers), ``report`` and
  ``html_templates`` (the self-contained HTML report), ``bids`` (export as
  BIDS behavioural data);
* ``commands``: the ``analyze`` and ``export`` commands.
"""
