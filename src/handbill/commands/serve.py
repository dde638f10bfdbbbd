"""`handbill serve`: the local web app (handbill.web) on uvicorn."""

from __future__ import annotations

from pathlib import Path

import click

from ..errors import BadConfig


@click.command()
@click.option(
    "--port",
    default=8765,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="TCP port (0: any free port; the URL printed says which).",
)
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Anything but loopback lets other machines in and needs --token.",
)
@click.option(
    "--data",
    default=Path("handbill-data"),
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for uploads, outputs (data/output/<leaflet>/<lang>/), glossaries and the memory.",
)
@click.option("--token", default=None, metavar="TEXT", help="Access token every request must carry (sign-in page).")
@click.option(
    "--token-file",
    default=None,
    type=click.Path(dir_okay=False, path_type=Path),
    help="Read the access token from this file (keeps it out of the process list).",
)
@click.option(
    "--glossaries",
    default=None,
    type=click.Path(file_okay=False, path_type=Path),
    help="Glossary folder (default: DATA/glossaries, started from the bundled glossaries).",
)
@click.option(
    "--workers",
    default=2,
    show_default=True,
    type=click.IntRange(1, 16),
    help="Leaflets made at the same time (more wait in a bounded queue).",
)
def serve(
    port: int, host: str, data: Path, token: str | None, token_file: Path | None, glossaries: Path | None, workers: int
) -> None:
    """Start the web app for organizers, translators and listeners and print its URL.

    It binds 127.0.0.1 unless --host says otherwise; then --token (or --token-file) is required and every
    request must sign in with it. Stop it with Ctrl-C.
    """
    import socket

    import uvicorn

    from ..web import Settings, create_app

    if token_file is not None:
        try:
            token = token_file.read_text(encoding="utf-8").strip()
        except OSError as exc:
            raise BadConfig(f"cannot read --token-file {token_file}: {exc.strerror or exc}") from None
    if token is not None and len(token) < 8:
        import secrets  # here, not at start-up: `handbill --help` does not need it

        raise BadConfig("the access token is too short", "use at least 8 characters, e.g. " + secrets.token_urlsafe(12))
    settings = Settings(data=data, host=host, port=port, token=token or "", glossaries=glossaries, workers=workers)
    app = create_app(settings)
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP named, not 0: asyncio sets TCP_NODELAY only on sockets whose proto says TCP, and without it
    # Nagle held each response's body until the browser's delayed ACK: 44 ms on every keep-alive request.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError as exc:
        raise BadConfig(
            f"cannot listen on {host}:{port}: {exc.strerror or exc}",
            "choose another --port, or stop the program using it",
        ) from None
    shown = f"[{host}]" if ":" in host else host
    click.echo(f"http://{shown}:{sock.getsockname()[1]}/", nl=True)
    click.echo("handbill: serving; stop with Ctrl-C", err=True)
    config = uvicorn.Config(app, log_level="warning", access_log=False, server_header=False, lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


command = serve
