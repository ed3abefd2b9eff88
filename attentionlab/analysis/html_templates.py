"""The Jinja2 environment of the HTML reports (``templates/*.html``).

Autoescaping is on for every template: whatever a template prints is
HTML-escaped, so text from the data (participant labels, file names,
stimulus words, values from another lab's mapping) cannot become markup.
Nothing is marked safe: the figures are embedded as base64 PNG in a
``data:`` URL, which escaping leaves as it is. A variable a template uses
but the code does not give is an error (StrictUndefined), not an empty
string.

Long lists (files, problems, sessions) are folded into ``<details>`` when
they have more than :data:`FOLD_AFTER` entries (the ``folded`` macro in
``templates/macros.html``).

>>> environment().from_string("{{ label }}").render(label='<b onmouseover="x">')
'&lt;b onmouseover=&#34;x&#34;&gt;'
"""

from functools import lru_cache

FOLD_AFTER = 10  # a list longer than this is folded in the reports


@lru_cache(maxsize=1)
def environment():
    """The shared :class:`jinja2.Environment` (templates from this package's
    ``templates`` folder, autoescape on)."""
    from jinja2 import Environment, PackageLoader, StrictUndefined

    env = Environment(loader=PackageLoader("attentionlab.analysis", "templates"),
                      autoescape=True, undefined=StrictUndefined,
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["fold_after"] = FOLD_AFTER
    return env


def render(template: str, **context) -> str:
    """``template`` (a file name in ``templates/``) rendered with ``context``."""
    return environment().get_template(template).render(**context)
