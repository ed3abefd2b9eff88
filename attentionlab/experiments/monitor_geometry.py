"""Monitor geometry: how big a degree of visual angle is on this screen.

The geometry (screen width in cm, viewing distance in cm, resolution in
pixels) comes from PsychoPy's Monitor Center (``attentionlab run --monitor
NAME``) or from a study file's ``[monitor]`` table (``width_cm``,
``distance_cm`` and optionally ``resolution = [W, H]``). With it, the session
opens its window on a :class:`psychopy.monitors.Monitor` and the tasks draw
their ``*_deg`` sizes in PsychoPy's ``deg`` units; without it, sizes stay in
screen units (fractions of the screen height).

Pixels per degree are PsychoPy's own conversion (``deg2pix``: a degree is
``distance_cm * 0.017455`` cm at the screen centre, and
``resolution[0] / width_cm`` pixels per cm), so what is recorded is what is
drawn:

>>> g = Geometry(width_cm=40.0, distance_cm=57.0, resolution=(1024, 768))
>>> round(g.pixels_per_degree(), 2)
25.47
>>> round(g.deg_to_px(2.0), 1)
50.9
"""

from dataclasses import dataclass

from attentionlab.core.errors import UsageError

# Said once per session (and recorded in the sidecar) when there is no geometry.
NO_GEOMETRY = "no monitor geometry: sizes are in screen units (fraction of screen height)"
HOW_TO_ADD = ("add one in PsychoPy's Monitor Center (psychopy.monitors.Monitor(NAME, "
              "width=CM, distance=CM); setSizePix([W, H]); saveMon()), or give width_cm and "
              "distance_cm in a study file's [monitor] table")
WIDTH_RANGE_CM = (5.0, 1000.0)      # a phone to a projection wall
DISTANCE_RANGE_CM = (10.0, 2000.0)  # a headset-close screen to a room's length
RESOLUTION_RANGE_PX = (100, 20000)


@dataclass(frozen=True)
class Geometry:
    """A calibrated screen: ``width_cm`` and ``distance_cm`` in cm,
    ``resolution`` (width, height) in pixels (None: the window's full-screen
    size, filled in when the window opens), and where it came from."""

    width_cm: float
    distance_cm: float
    resolution: tuple[int, int] | None = None
    source: str = "study file"

    def with_resolution(self, resolution) -> "Geometry":
        """The same geometry with ``resolution`` filled in if it was missing."""
        if self.resolution is not None:
            return self
        return Geometry(self.width_cm, self.distance_cm,
                        (int(resolution[0]), int(resolution[1])), self.source)

    def pixels_per_degree(self) -> float:
        """Pixels in one degree at the screen centre (PsychoPy's deg2pix)."""
        if self.resolution is None:
            raise ValueError("resolution unknown until the window opens")
        return self.distance_cm * 0.017455 * self.resolution[0] / self.width_cm

    def deg_to_px(self, degrees: float) -> float:
        return degrees * self.pixels_per_degree()

    def height_units_to_deg(self, value: float) -> float:
        """A size in 'height' units (fractions of the screen height) in degrees."""
        return value * self.resolution[1] / self.pixels_per_degree()

    def monitor(self):
        """A :class:`psychopy.monitors.Monitor` for the window (not saved)."""
        from psychopy import monitors

        mon = monitors.Monitor("attentionlab", width=self.width_cm,
                               distance=self.distance_cm, autoLog=False)
        if self.resolution is not None:
            mon.setSizePix(list(self.resolution))
        return mon

    def describe(self) -> dict:
        """The sidecar's ``display.geometry`` (without the sizes)."""
        return {"calibrated": True, "source": self.source, "width_cm": self.width_cm,
                "distance_cm": self.distance_cm,
                "resolution": list(self.resolution) if self.resolution else None,
                "pixels_per_degree": round(self.pixels_per_degree(), 4)
                if self.resolution else None}


def _number(value, name, low, high, where) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        raise UsageError(f"{where}: {name} must be a number of cm between {low:g} and "
                         f"{high:g}, got {value!r}")
    if not low <= value <= high:
        raise UsageError(f"{where}: {name} must be between {low:g} and {high:g} cm, "
                         f"got {value:g}")
    return float(value)


def _resolution(value, where):
    low, high = RESOLUTION_RANGE_PX
    ok = (isinstance(value, (list, tuple)) and len(value) == 2
          and all(isinstance(v, int) and not isinstance(v, bool) and low <= v <= high
                  for v in value))
    if not ok:
        raise UsageError(f"{where}: resolution must be two whole numbers of pixels "
                         f"[width, height], each {low}..{high}, got {value!r}")
    return int(value[0]), int(value[1])


def from_table(table, where: str = "[monitor]") -> Geometry:
    """A geometry from a study file's ``[monitor]`` table.

    >>> from_table({"width_cm": 53.0, "distance_cm": 60, "resolution": [1920, 1080]})
    Geometry(width_cm=53.0, distance_cm=60.0, resolution=(1920, 1080), source='study file')
    >>> from_table({"width_cm": 53.0})
    Traceback (most recent call last):
    attentionlab.core.errors.UsageError: [monitor]: distance_cm is missing; give width_cm and distance_cm (cm), and optionally resolution = [W, H]
    """
    if not isinstance(table, dict):
        raise UsageError(f"{where} must be a table with width_cm and distance_cm")
    allowed = ("width_cm", "distance_cm", "resolution")
    unknown = [k for k in table if k not in allowed]
    if unknown:
        raise UsageError(f"{where}: unknown key {unknown[0]!r}; allowed: {', '.join(allowed)}")
    for key in allowed[:2]:
        if key not in table:
            raise UsageError(f"{where}: {key} is missing; give width_cm and distance_cm "
                             f"(cm), and optionally resolution = [W, H]")
    width = _number(table["width_cm"], "width_cm", *WIDTH_RANGE_CM, where)
    distance = _number(table["distance_cm"], "distance_cm", *DISTANCE_RANGE_CM, where)
    resolution = _resolution(table["resolution"], where) if "resolution" in table else None
    return Geometry(width, distance, resolution, "study file")


def from_monitor_center(name: str) -> Geometry:
    """The geometry of monitor ``name`` saved in PsychoPy's Monitor Center.

    Raises :class:`UsageError` (one line) for an unknown name, listing the
    known monitors and how to add one, and for a monitor without a usable
    width or distance.
    """
    from psychopy import monitors

    known = sorted(monitors.getAllMonitors())
    if name not in known:
        listed = ", ".join(known) if known else "none"
        raise UsageError(f"--monitor: no monitor {name!r} in PsychoPy's Monitor Center "
                         f"(known: {listed}); {HOW_TO_ADD}")
    mon = monitors.Monitor(name, autoLog=False)
    where = f"--monitor {name}"
    for key, value in (("width", mon.getWidth()), ("distance", mon.getDistance())):
        if value is None:
            raise UsageError(f"{where}: Monitor Center has no screen {key} for it; set it "
                             f"in Monitor Center (cm)")
    width = _number(mon.getWidth(), "screen width", *WIDTH_RANGE_CM, where)
    distance = _number(mon.getDistance(), "viewing distance", *DISTANCE_RANGE_CM, where)
    size = mon.getSizePix()
    resolution = _resolution([int(v) for v in size], where) if size else None
    return Geometry(width, distance, resolution, f"Monitor Center: {name}")


def size_table(sizes: dict, params, geometry: Geometry | None, screen_px) -> dict:
    """Every degree-declared size in degrees and pixels, for the sidecar.

    ``sizes`` maps a ``*_deg`` parameter to its screen-unit fallback
    parameter (a definition's ``DEGREE_SIZES``); ``screen_px`` is the window's
    (width, height). With a geometry the degree value is drawn; without, the
    fallback is, and its degrees are not known (None).
    """
    out = {}
    for deg_name, fallback in sizes.items():
        if geometry is not None:
            deg = getattr(params, deg_name)
            out[deg_name] = {"deg": deg, "px": round(geometry.deg_to_px(deg), 2),
                             "drawn_from": deg_name}
        else:
            height = getattr(params, fallback)
            out[deg_name] = {"deg": None, "px": round(height * screen_px[1], 2),
                             "drawn_from": fallback, "height_units": height}
    return out
