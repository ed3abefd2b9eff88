"""Pictures the server draws for a task: the flicker task's image pairs as PNG.

``GET /api/assets/flicker/{k}/{which}.png`` (``which`` ``a`` or ``b``): the
``k``-th pair of ``web.tasks.flicker.catalogue`` for the class's flicker
parameters. ``k`` is a whole number checked against the catalogue and
``which`` one of two letters: nothing of the request is used as a name or a
path. The PNG bytes are made once per image (PIL) and kept in memory; the
answer may be cached by the browser (the pictures never change during a class).

The server mounts :func:`routes` (W1, ``web/server.py``)::

    from attentionlab.web import task_assets
    app = Starlette(routes=[..., *task_assets.routes(params_of)])

where ``params_of(task)`` gives the class's parameters of a task (the demo's
short version, ``web.tasks.demo_params``, by default).
"""

import functools
import io

from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

CACHE_SECONDS = 3600


@functools.lru_cache(maxsize=256)
def _png(pairs_key, k: int, which: str) -> bytes:
    """The PNG bytes of image A or A' of the ``k``-th pair of the catalogue
    made from ``pairs_key`` (``web.tasks.flicker.pairs_key``)."""
    from PIL import Image

    from attentionlab.web.tasks import flicker

    pair = list(flicker.catalogue_of_key(pairs_key).values())[k]
    buffer = io.BytesIO()
    Image.fromarray(pair.image_a if which == "a" else pair.image_b).save(buffer, "PNG")
    return buffer.getvalue()


def flicker_png(params, k: int, which: str) -> bytes | None:
    """The PNG of image ``which`` ('a' or 'b') of the ``k``-th catalogue pair,
    or None when there is no such image.

    >>> from attentionlab.web.tasks import demo_params
    >>> flicker_png(demo_params("flicker"), 0, "a")[:4]
    b'\\x89PNG'
    >>> flicker_png(demo_params("flicker"), 10_000, "a") is None
    True
    """
    from attentionlab.web.tasks import flicker

    if which not in ("a", "b"):
        return None
    if not 0 <= k < len(flicker.catalogue(params)):
        return None
    return _png(flicker.pairs_key(params), k, which)


def routes(params_of=None) -> list:
    """The asset routes; ``params_of(task)`` -> the class's parameters of
    ``task`` (default: ``web.tasks.demo_params``)."""
    if params_of is None:
        from attentionlab.web.tasks import demo_params as params_of

    async def flicker_image(request):
        # Starlette's int convertor already refused anything but digits.
        k, which = request.path_params["k"], request.path_params["which"]
        # Editing the photographs (first request) and PNG encoding take CPU
        # time: in a worker thread, so other students' requests go on.
        data = await run_in_threadpool(flicker_png, params_of("flicker"), k, which)
        if data is None:
            return JSONResponse({"error": "there is no such picture"}, status_code=404)
        return Response(data, media_type="image/png",
                        headers={"Cache-Control": f"private, max-age={CACHE_SECONDS}"})

    return [Route("/api/assets/flicker/{k:int}/{which}.png", flicker_image, methods=["GET"])]
