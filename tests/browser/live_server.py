"""A waitress server for an app object on a free loopback port (browser tests)."""

from __future__ import annotations

import threading


def run_server(app):
    """Serve ``app`` with waitress on a free loopback port; returns (base URL, stop function)."""
    from waitress import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()

    def stop():
        from waitress import wasyncore

        # closed by the server's own thread (a close from here raced its select: "Bad file descriptor");
        # with every channel closed its loop ends
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(timeout=5)
        server.task_dispatcher.shutdown()

    return f"http://127.0.0.1:{server.effective_port}", stop
