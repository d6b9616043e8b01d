"""The Chinese catalogue of Flask-Admin's own messages, built at set-up into instance/translations.

Flask-Admin's zh_Hans_CN .po is newer than the .mo in its wheel (which lacks messages such as
"Failed to create record."); this compiles that .po together with translations/admin.po (our
additions, which win) into one .mo that the back office loads (Admin(translations_path=…)).
Run: python -m web.translations
"""
from __future__ import annotations

from pathlib import Path

import flask_admin
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from config import BASE_DIR, INSTANCE_DIR

LOCALE = "zh_Hans_CN"
OUR_CATALOGUE = BASE_DIR / "translations" / "admin.po"
TRANSLATIONS_DIR = INSTANCE_DIR / "translations"


def flask_admin_catalogue() -> Path:
    return Path(flask_admin.__file__).parent / "translations" / LOCALE / "LC_MESSAGES" / "admin.po"


def build(target: Path = TRANSLATIONS_DIR) -> Path:
    with flask_admin_catalogue().open("rb") as theirs, OUR_CATALOGUE.open("rb") as ours:
        catalogue, additions = read_po(theirs, locale=LOCALE), read_po(ours, locale=LOCALE)
    for message in additions:
        if message.id:
            if message.id in catalogue:
                del catalogue[message.id]  # setting an existing id would keep the old string
            catalogue[message.id] = message
    path = target / LOCALE / "LC_MESSAGES" / "admin.mo"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as output:
        write_mo(output, catalogue, use_fuzzy=False)
    return path


def use_for_flask_admin() -> None:
    """Make Flask-Admin read this catalogue on every page. Its domain adds the admin's translations_path only
    while a view runs, and caches the first catalogue it builds, so that a message translated once outside a
    view (a flash, a lazy label) would fix the catalogue without ours."""
    from flask_admin.babel import domain

    directories = domain._translation_directories
    if str(TRANSLATIONS_DIR) not in directories:
        directories.insert(0, str(TRANSLATIONS_DIR))


if __name__ == "__main__":
    print(build())
