"""``book serve``: the HTTP server and its event stream (``server``) over the
builds it serves (``preview``), the status board and workers (``rebuild``) and
the file watcher (``watch``).
"""
