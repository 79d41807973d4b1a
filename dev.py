#!/usr/bin/env python3
"""Set-up and everyday commands, with nothing but Python needed beforehand.

python3 dev.py run     create .venv, install translator, open the application
python3 dev.py test    create .venv, install translator with its test tools (and, where
                       missing, the system packages the tests need: PostgreSQL ...),
                       then run ruff, mypy, import-linter and the whole pytest suite
"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")

# Debian packages the test suite uses: a real PostgreSQL server (the storage tests run on
# it), the libraries Qt needs even offscreen, an Arabic-capable font for the GUI tests,
# msgfmt and xmllint as independent checkers of exported files, Xvfb for screenshots.
DEBIAN_TEST_PACKAGES = [
    "postgresql",
    "libegl1",
    "libgl1",
    "libxkbcommon0",
    "libfontconfig1",
    "libdbus-1-3",
    "fonts-dejavu-core",
    "gettext",
    "libxml2-utils",
    "xvfb",
]


def say(message: str) -> None:
    print(f"dev.py: {message}", flush=True)


def run(*cmd: str | Path, check: bool = True, env: dict[str, str] | None = None) -> int:
    return subprocess.run([str(c) for c in cmd], check=check, env=env).returncode


def ensure_venv(extras: str) -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may run on an older Python
        sys.exit(f"dev.py: translator needs Python 3.11 or newer, this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        say(f"creating {VENV}")
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes() + extras.encode()).hexdigest()
    stamp = VENV / f".installed-{digest[:16]}"
    if stamp.exists():
        return
    say(f"installing translator{extras} into {VENV}")
    run(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PYTHON, "-m", "pip", "install", "--quiet", "-e", f"{ROOT}{extras}")
    for old in VENV.glob(".installed-*"):
        old.unlink()
    stamp.touch()


def _missing_debian_packages(names: list[str]) -> list[str]:
    missing = []
    for name in names:
        result = subprocess.run(
            ["dpkg-query", "-W", "-f=${Status}", name], capture_output=True, text=True
        )
        if "install ok installed" not in result.stdout:
            missing.append(name)
    return missing


def ensure_system_packages() -> None:
    """Install what the tests need from Debian, when we can (root and apt-get)."""
    if not shutil.which("dpkg-query") or not shutil.which("apt-get"):
        say("not a Debian system: install PostgreSQL yourself for the PostgreSQL tests")
        return
    missing = _missing_debian_packages(DEBIAN_TEST_PACKAGES)
    if not missing:
        return
    if os.geteuid() != 0:
        say(
            f"missing system packages (install them with sudo apt-get install): {' '.join(missing)}"
        )
        return
    say(f"installing system packages: {' '.join(missing)}")
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    run("apt-get", "update", "-qq", env=env)
    run("apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing, env=env)


def cmd_run(args: list[str]) -> int:
    ensure_venv("")
    return run(BIN / "translator", *(args or ["gui"]), check=False)


def cmd_test(args: list[str]) -> int:
    ensure_system_packages()
    ensure_venv("[test]")
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    steps: list[tuple[str, list[str | Path]]] = [
        ("ruff check", [BIN / "ruff", "check", "."]),
        ("ruff format", [BIN / "ruff", "format", "--check", "."]),
        ("import-linter", [BIN / "lint-imports"]),
        ("mypy", [BIN / "mypy"]),
        ("pytest", [PYTHON, "-m", "pytest", *args]),
    ]
    for name, cmd in steps:
        say(f"--- {name}")
        code = subprocess.run([str(c) for c in cmd], cwd=ROOT, env=env).returncode
        if code != 0:
            say(f"{name} failed (exit {code})")
            return code
    return 0


def main() -> int:
    commands = {"run": cmd_run, "test": cmd_test}
    if len(sys.argv) < 2 or sys.argv[1] not in commands:
        print(__doc__)
        return 2
    return commands[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    sys.exit(main())
