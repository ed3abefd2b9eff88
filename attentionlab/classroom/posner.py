"""Posner cueing in the classroom: the student's own validity effect beside the textbook's.

The demo runs endogenous (arrow) blocks only, at one long SOA (600 ms), so
that in about 2-3 minutes a student gets enough invalid trials for a
personal validity effect; the published value is for such cues.

>>> TEXTBOOK.format(27.4)
'27 ms'
"""

import numpy as np

from attentionlab.classroom.textbook import Textbook, ms_text, showed_when

LONG_SOA_MS = 300  # endogenous orienting has built up by then (Müller & Rabbitt, 1989)


def _values(participants, test):
    """Per participant x session: the endogenous validity effect averaged over
    SOAs from 300 ms on (all endogenous SOAs if none is that long)."""
    endo = participants[participants["cue_type"] == "endogenous"]
    long = endo[endo["soa_ms"].astype(float) >= LONG_SOA_MS]
    keys = ["participant", "session"]
    out = participants[keys].drop_duplicates().reset_index(drop=True)
    chosen = long if len(long) else endo
    means = chosen.groupby(keys)[["validity_ms", "rt_valid_ms", "rt_invalid_ms"]].mean()
    out = out.merge(means.reset_index(), on=keys, how="left")
    out["value"] = out["validity_ms"].astype(float)
    out["showed"] = showed_when(out["value"] > 0, out["value"].notna())
    return out


def _sentence(row):
    v = row["value"]
    if not np.isfinite(v):
        return ("There were not enough arrow trials with the dot on both sides to work out "
                "your cueing effect.")
    if v > 0:
        return (f"You saw the dot {v:.0f} ms sooner when the arrow pointed to its box than "
                f"when it pointed to the other box.")
    return (f"You were {abs(v):.0f} ms faster when the arrow pointed away from the dot: "
            f"the opposite of the usual effect.")


def _details(row):
    return [f"Your mean times: {ms_text(row['rt_valid_ms'])} when the arrow was right, "
            f"{ms_text(row['rt_invalid_ms'])} when it pointed to the wrong box."]


TEXTBOOK = Textbook(
    task="posner",
    title="Covert attention: Posner cueing",
    menu_text="Press a key when a dot appears after an arrow",
    minutes="about 3 min",
    measure_text="validity effect: how much slower a dot is detected when the arrow "
                 "pointed to the other box than when it pointed to the dot's box "
                 "(arrow cues, cue-target interval of 300 ms or more)",
    unit="ms", kind="mean", decimals=0,
    published=(20.0, 40.0),
    published_text="typically 20-40 ms for a central arrow that is right on 80% of the "
                   "trials, at cue-target intervals of 300 ms or more",
    source="Posner (1980); Chica et al. (2014)",
    explanation=(
        "Your eyes stayed on the cross, yet the arrow moved something: your attention. "
        "A dot in the box the arrow pointed to was seen faster than a dot in the other "
        "box. Posner (1980) called this covert orienting: "
        "attention can be shifted to a place without moving the eyes, like a spotlight. "
        "An arrow has to be understood first, so this voluntary (endogenous) shift takes "
        "a few hundred milliseconds. A flash at a box draws attention by itself "
        "(exogenous), at once; but after about a third of a second the flashed place is "
        "slower than the other: inhibition of return (Posner & Cohen, 1984), which helps "
        "us not to search the same place twice."),
    showed_rule="validity effect above 0 ms: dots slower on average after an arrow "
                "pointing to the other box than after one pointing to the dot's box "
                "(correct presses only, RTs under 200 ms left out)",
    values=_values, sentence=_sentence, details=_details,
    value_label="validity effect",
    demo_sets=("cue_types=endogenous", "soas=600", "validity_weights=3,1,0", "trials=71",
               "blocks=1", "practice_trials=6", "fixation_ms=700", "iti_ms=600"),
    caveat="One student has only about 16 invalid trials in the demo: a single person's "
           "effect is noisy (often 20-30 ms either way), the class mean much less so.",
    references=(
        "Posner, M. I. (1980). Orienting of attention. Quarterly Journal of Experimental "
        "Psychology, 32, 3-25.",
        "Posner, M. I., & Cohen, Y. (1984). Components of visual orienting. In H. Bouma & "
        "D. G. Bouwhuis (Eds.), Attention and performance X (pp. 531-556). Erlbaum.",
        "Chica, A. B., Martín-Arévalo, E., Botta, F., & Lupiáñez, J. (2014). The spatial "
        "orienting paradigm: How to design and interpret spatial attention experiments. "
        "Neuroscience & Biobehavioral Reviews, 40, 35-51."),
)
