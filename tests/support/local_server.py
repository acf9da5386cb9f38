"""A fake platform's HTTP server on 127.0.0.1, on a port the system picks.

Rule: `serve` starts it and sets `base_url`; `stop_serving` stops it and may be called twice."""

from __future__ import annotations

from aiohttp import web


class LocalServer:
    """Serves an aiohttp application on 127.0.0.1; the fakes hold one each."""

    def __init__(self) -> None:
        self._runner: web.AppRunner | None = None
        self.base_url = ""

    async def serve(self, app: web.Application) -> str:
        """Start serving `app`; its base URL (`http://127.0.0.1:<port>`)."""
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        host, port = self._runner.addresses[0][:2]
        self.base_url = f"http://{host}:{port}"
        return self.base_url

    async def stop_serving(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None
