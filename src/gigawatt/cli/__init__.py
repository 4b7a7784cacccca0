"""The ``gigawatt`` command-line program (typer + rich).

The CLI sits outside the numerical core and only calls its public API. Each
sub-command lives in its own module and registers itself on :data:`app`.

Start-up stays fast (``gigawatt --help`` well under 0.5 s): the command modules import only
typer at module level; numpy, pandas, numba kernels, Dask, matplotlib, rich and gigawatt's
numerical modules are imported inside the command functions, after the command has printed
what it is about to do (tests/test_cli_startup.py checks the imports).
"""

from __future__ import annotations

import sys

import typer

from gigawatt.errors import GigawattError

app = typer.Typer(
    rich_markup_mode=None,
    name="gigawatt",
    help="Will the lights stay on as gigawatt AI clusters connect to the grid?",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

from gigawatt.cli import adequacy as _adequacy  # noqa: E402
from gigawatt.cli import agent as _agent  # noqa: E402
from gigawatt.cli import capacity as _capacity  # noqa: E402
from gigawatt.cli import data as _data  # noqa: E402
from gigawatt.cli import dynamics as _dynamics  # noqa: E402
from gigawatt.cli import headroom as _headroom  # noqa: E402
from gigawatt.cli import run as _run  # noqa: E402
from gigawatt.cli import serve as _serve  # noqa: E402
from gigawatt.cli import system as _system  # noqa: E402

for _mod in (_run, _adequacy, _capacity, _data, _dynamics, _headroom, _system, _serve, _agent):
    _mod.register(app)


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the app, turning input errors into one-paragraph messages."""
    try:
        app(args=argv, standalone_mode=False)
    except GigawattError as exc:
        from rich.markup import escape

        from gigawatt.cli._common import error_console

        # escaped: messages quote TOML tables such as [system] that rich would take for markup
        error_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        return 2
    except typer.Exit as exc:
        return exc.exit_code
    except typer.Abort:
        from gigawatt.cli._common import error_console

        error_console.print("aborted")
        return 130
    except Exception as exc:  # click usage errors (typer >= 0.2x vendors click)
        if hasattr(exc, "show") and hasattr(exc, "exit_code"):
            exc.show()
            return exc.exit_code
        raise
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
