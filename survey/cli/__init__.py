"""Command line interface ``sicherheitsanalyse``.

One click group; each topic registers its commands from its own module (``survey.cli.<topic>``).
All user-facing errors are translated at one boundary (:class:`SafeGroup`): a German message on stderr
and exit status 1, never a traceback. Set ``SICHERHEITSANALYSE_DEBUG=1`` to see tracebacks of internal
errors. The boundary sits in the group itself so that tests with ``CliRunner`` see what users see.
"""

from __future__ import annotations

import gc
import os
import sys

import click

from analysis.errors import AnalysisError
from survey.cli import german
from survey.errors import UserError

german.install()

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class UserFacingError(click.ClickException):
    """A domain error shown as ``Fehler: …`` with exit status 1."""

    exit_code = 1

    def format_message(self) -> str:
        return self.message

    def show(self, file=None) -> None:  # noqa: ANN001 - click's signature
        click.echo(f"Fehler: {self.format_message()}", err=True, file=file)


class SafeGroup(click.Group):
    """A click group that translates domain and internal errors into German messages."""

    def invoke(self, ctx: click.Context):  # noqa: ANN201 - click's signature
        try:
            return super().invoke(ctx)
        except (UserError, AnalysisError) as error:
            raise UserFacingError(str(error)) from None
        except (click.exceptions.Exit, click.ClickException, click.exceptions.Abort, KeyboardInterrupt):
            raise
        except BrokenPipeError:  # output piped into a reader that stopped (`| head`): not an error
            try:
                os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            except (OSError, ValueError, AttributeError):
                pass
            ctx.exit(0)
        except Exception as error:  # noqa: BLE001 - the boundary: no traceback reaches a user
            if os.environ.get("SICHERHEITSANALYSE_DEBUG"):
                raise
            internal = UserFacingError(
                "Interner Fehler (bitte melden; mit SICHERHEITSANALYSE_DEBUG=1 erscheinen Details): "
                f"{type(error).__name__}: {error}"
            )
            internal.exit_code = 2
            raise internal from None


@click.group(cls=SafeGroup, context_settings=CONTEXT_SETTINGS, options_metavar="[OPTIONEN]",
             subcommand_metavar="BEFEHL [ARGUMENTE]…")
@click.version_option(package_name="sicherheitsanalyse", message="sicherheitsanalyse %(version)s")
def cli() -> None:
    """Kommunale Sicherheitsanalysen: Befragung, Gewichtung, Kriminalstatistik und Lagebericht.

    Typischer Ablauf: init → fragebogen pruefen → pruefen → gewichten → analysieren → bericht
    (oder alles auf einmal mit »run«). »demo« zeigt den Ablauf an einer Beispielkommune.
    """


# Topic modules, each with a ``register(group)`` function. A module that does not exist yet is skipped
# so that topics can land one at a time. They import only click and light modules at top level: the
# implementation (pandas, the engine, the report stack) is imported inside each command function, so
# that ``--help`` of any command starts in a fraction of a second (bench/bench_cli.py, issue 13).
COMMAND_MODULES = (
    "folder_commands",
    "fragebogen_commands",
    "intake_commands",
    "weighting_commands",
    "profile_commands",
    "freetext_commands",
    "report_commands",
    "export_commands",
    "comparison_commands",
    "web_commands",
    "demo_commands",
)


def _register_commands() -> None:
    for module_name in COMMAND_MODULES:
        qualified = f"survey.cli.{module_name}"
        try:
            module = __import__(qualified, fromlist=["register"])
        except ModuleNotFoundError as error:
            if error.name != qualified:
                raise
            continue
        module.register(cli)
    _germanise(cli)


def _germanise(command: click.Command) -> None:
    """Usage lines read »[OPTIONEN]« / »BEFEHL«, and value types and ranges are German, in every
    command, whoever registered it."""
    command.options_metavar = "[OPTIONEN]"
    german.germanise_parameters(command)
    if isinstance(command, click.Group):
        command.subcommand_metavar = "BEFEHL [ARGUMENTE]…"
        for sub in command.commands.values():
            _germanise(sub)


_register_commands()


def main() -> None:
    """Entry point of the console script."""
    try:
        cli.main(prog_name="sicherheitsanalyse")
    finally:
        # The process ends now: exempt what the command left on the heap from the interpreter's last
        # garbage collection (0.5 s after a ``run``, bench/bench_run.py). Everything is still freed and
        # every exit handler runs.
        gc.freeze()
