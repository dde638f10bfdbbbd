"""Install hints name only packages that exist: Debian names are checked against apt-cache on this machine,
Argos names against the project's copy of the Argos index; doctor says how each language is reached."""

from __future__ import annotations

import re
import subprocess

import pytest
from click.testing import CliRunner

from handbill.cli import main
from handbill.engines import choose_engine, installable
from handbill.errors import MissingDependency
from handbill.render import fonts, speech

from ..conftest import REPO

APT_INSTALL = re.compile(r"apt-get install ([^)\"'`(]+)")
PACKAGE = re.compile(r"^[a-z0-9][a-z0-9.+-]+$")


def _names(command: str) -> set[str]:
    """The package names right after `apt-get install`, up to the first word that is not one."""
    names = set()
    for word in command.split():
        name = word.rstrip(",;.")
        if not PACKAGE.match(name):
            break
        names.add(name)
        if name != word:
            break
    return names


def printed_debian_names() -> set[str]:
    """Every Debian package name in a hint: the pair data, the font table, and each `apt-get install …`
    written anywhere in handbill's code."""
    names = set(installable.debian_packages()) | {pkg for _, _, pkg in fonts.FALLBACK}
    for path in (REPO / "src" / "handbill").rglob("*.py"):
        for match in APT_INSTALL.finditer(path.read_text(encoding="utf-8")):
            names |= _names(match.group(1))
    names |= _names(APT_INSTALL.search(speech.INSTALL_HINT).group(1))
    return names


def test_every_debian_package_handbill_can_print_exists():
    names = sorted(printed_debian_names())
    assert {"apertium-eng-spa", "apertium-spa-ita", "apertium", "espeak-ng", "fonts-noto-core"} <= set(names)
    out = subprocess.run(
        ["apt-cache", "show", "--no-all-versions", *names], capture_output=True, text=True, timeout=120
    ).stdout
    records = {
        m.group(1): m.group(2) for m in re.finditer(r"^Package: (\S+)\n(?:.*\n)*?Description(?:-en)?: (.*)$", out, re.M)
    }
    missing = [n for n in names if n not in records]
    assert not missing, f"apt-cache does not know {missing} (run apt-get update if the lists are empty)"
    dummies = [n for n in names if "transitional" in records[n].lower()]
    assert not dummies, f"transitional dummy packages named in hints: {dummies}"


def test_hints_for_every_language_name_only_packages_in_the_data():
    """Before, en->fr printed apertium-en-fr, a package Debian does not have."""
    packages = {o.package for o in installable.offers()}
    targets = sorted({o.tgt for o in installable.offers()} | {"ja", "so", "hmn", "vi", "ht"})
    for engines in (["apertium"], ["argos", "apertium"]):
        for target in targets:
            try:
                choose_engine(engines, "en", target)
            except MissingDependency as exc:
                named = set(re.findall(r"apertium-[a-z]+-[a-z]+|translate-[a-z]+_[a-z]+", exc.hint or ""))
                assert named <= packages, (target, exc.hint)
                assert "apt-get install apertium-en-" not in (exc.hint or "") or named, exc.hint


def test_the_pair_data_reads_as_language_tags():
    offers = installable.offers()
    assert len({o.package for o in offers if o.engine == "apertium"}) >= 40
    assert any(o.package == "translate-en_pb" and o.tgt == "pt-BR" for o in offers)  # Argos's own code for pt-BR
    assert not any(o.package == "apertium-eng-spa" and o.tgt == "fr" for o in offers)
    assert [o.package for o in installable.direct("en", "pt")][:1] == ["translate-en_pb"]  # pt is Brazilian


@pytest.mark.parametrize(
    "args, lines",
    [
        (
            ["--to", "es,fr,pt,ht"],
            [
                r"es +Spanish +direct \(apertium eng-spa\)",
                r"fr +French +chain en→es→fr \(apertium eng-spa, apertium es-fr\); direct pair: "
                r"handbill models install --from en --to fr",
                r"pt +Portuguese +chain en→es→pt-BR .*es-pt_BR",
                r"ht +Haitian Creole +not reachable; direct pair: none in Debian or the Argos index",
            ],
        ),
        (
            ["--from", "es", "--to", "eo"],
            [r"eo +Esperanto +not reachable; direct pair: sudo apt-get install apertium-eo-es"],
        ),
    ],
)
def test_doctor_says_how_each_language_is_reached(args, lines):
    result = CliRunner().invoke(main, ["doctor", *args])
    assert result.exit_code == 0, result.output
    for line in lines:
        assert re.search(line, result.output), (line, result.output)
