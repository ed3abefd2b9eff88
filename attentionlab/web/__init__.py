"""The classroom in students' web browsers (``attentionlab classroom serve``).

The teacher's computer serves the demos over the room's network; students'
browsers present the trials and timestamp them, the server plans (the
task's ``make_plan``), scores (its ``score``) and writes every trial as a
lab session does. Never PsychoPy here. See docs/classroom-web.md.

============================  ===============================================
``server.py``                 the Starlette application: pages and JSON API
``class_store.py``            students and their runs, trial by trial
``runs.py``                   one run's plan, files and restart recovery
``class_state.py``            .classroom/: students.tsv, teacher token, lock
``validation.py``             what a request body may contain
``teacher.py``                QR code, live and final class report
``analysis_pool.py``          analyses in worker processes, away from the server
``commands.py``, ``lan.py``   the ``classroom serve`` command, the LAN address
``tasks/``                    one module per task with a browser version
``templates/``, ``static/``   the pages and the JavaScript they load
============================  ===============================================
"""
