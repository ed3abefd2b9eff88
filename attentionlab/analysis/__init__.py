"""What the data mean: reading session files, cleaning RTs, statistics, report.

Pure pandas/scipy/pingouin/matplotlib (Agg) code: nothing here imports
PsychoPy, so the analysis runs on a machine without a display.

Modules, one concept each:

* ``reading``: our session CSVs and their JSON sidecars, with bad-file handling;
* ``mapping``: other labs' and PsychoPy Builder files through a TOML mapping;
* ``cleaning``: error removal, absolute RT bounds, SD/MAD trimming, with counts;
* ``stroop``: per-participant effects and group statistics for the Stroop task;
* ``reliability``: split-half reliability (permutation, Spearman-Brown);
* ``figures``, ``report``: figures and the self-contained HTML report;
* ``bids``: export of our files as BIDS behavioural data;
* ``pipeline`` and ``commands``: the ``analyze`` and ``export`` commands.
"""
