"""The what-if page: a local web application (``gigawatt serve``) on the outlook's grid.

:mod:`gigawatt.web.whatif` runs one what-if (no web package needed); :mod:`gigawatt.web.jobs` runs
them on a small pool of threads with progress, cancelling and a time limit; :mod:`gigawatt.web.api`
is the FastAPI application (the page and the JSON API); :mod:`gigawatt.web.server` starts it with
uvicorn. FastAPI and uvicorn are imported only by the last two.
"""
