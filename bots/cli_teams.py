"""``adaptive teams package``: build the Teams app package a school admin uploads (loaded by the CLI as an
optional plugin)."""

from __future__ import annotations

from pathlib import Path

import typer

from adaptive.cli.common import fail, warn

teams_app = typer.Typer(help="The tutor's Microsoft Teams app.", no_args_is_help=True)
OPTIONS = {"app_id": "--app-id", "domain": "--domain", "developer": "--developer", "version": "--app-version"}


def register(app: typer.Typer) -> None:
    app.add_typer(teams_app, name="teams")


@teams_app.command("package")
def package_command(
    app_id: str = typer.Option(..., "--app-id", metavar="GUID",
                               help="The bot's Microsoft App ID (Azure Bot > Configuration)."),
    domain: str = typer.Option(None, "--domain", metavar="HOST",
                               help="Your server's host name, e.g. tutor.school.example: the developer links "
                                    "https://HOST/, /privacy, /terms and validDomains."),
    developer: str = typer.Option(None, "--developer", metavar="NAME",
                                  help="Your school or district, as Teams shows the app's publisher (32 characters "
                                       "at most)."),
    version: str = typer.Option(None, "--app-version", metavar="X.Y.Z",
                                help="The app's version (default: the shipped manifest's); raise it for each "
                                     "updated package you upload."),
    out: Path = typer.Option(Path("adaptive-teams.zip"), "--out", help="The zip to write."),
) -> None:
    """Build the zip to upload in Teams admin center or the Developer Portal: manifest.json with your bot's id,
    color.png and outline.png."""
    from bots.teams import package

    try:
        manifest = package.build_manifest(app_id.strip(), domain=domain, developer=developer, version=version)
    except package.BadSetting as exc:
        fail(f"{OPTIONS[exc.setting]} {exc}")
    try:
        package.write(out, manifest)
    except OSError as exc:
        fail(f"--out {out}: cannot write the package: {exc.strerror or exc}")
    left = package.placeholders(manifest)
    if left:
        warn(f"{', '.join(left)} still hold a placeholder (YOUR-SERVER, YOUR SCHOOL OR DISTRICT): pass --domain "
             "and --developer, or Teams shows them as they are")  # fmt: skip
    print(f"Teams app package: {out} (manifest.json, {', '.join(package.ICONS)}); upload it in Teams admin center "
          "> Teams apps > Manage apps > Upload new app")  # fmt: skip
