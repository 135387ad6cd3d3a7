"""Packaging the layout: bot/, index/ and config/ at the root install as coveragebot.bot,
coveragebot.index and coveragebot.config, beside coveragebot/ (the top package).

pyproject.toml holds everything else. This file exists because setuptools' discovery (the
pyproject `packages.find` table) cannot put a prefix on the names it finds: here every package
under the three folders is found, never listed by hand, and package_dir says where each lives.
"""

from setuptools import find_packages, setup

FOLDERS = ("bot", "index", "config")

setup(
    packages=["coveragebot"] + ["coveragebot." + name for name in find_packages(
        include=[pattern for folder in FOLDERS for pattern in (folder, folder + ".*")])],
    package_dir={"coveragebot": "coveragebot", **{"coveragebot." + folder: folder for folder in FOLDERS}},
)
