"""Write the checkout's local `.env` for the demo (`make run`): DEBUG=1, a generated SECRET_KEY, the demo database.

An existing file is never touched: it may hold a developer's own settings. Only the standard library is
used, so this runs before the virtual environment exists. Usage: python3 scripts/write_env.py [PATH]
"""

import os
import secrets
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent


def content():
    return (
        "# Local settings of this checkout for the demo, written once by `make run` (scripts/write_env.py).\n"
        "# Git-ignored; read by config/settings.py, and variables set in the environment win over it.\n"
        "# Never used in production: there the real environment holds every setting (docs/deployment.md).\n"
        "DEBUG=1\n"
        f"SECRET_KEY={secrets.token_urlsafe(50)}\n"
        f"DATABASE_URL=sqlite:///{BASE_DIR / 'db.sqlite3'}\n"
    )


def main(path):
    try:
        # O_EXCL: fails if the file exists, so a second `make run` (or a race with one) never overwrites it;
        # readable by its owner only, as it holds the secret key.
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        print(f"{path} finns redan och lämnas orörd.")
        return
    with os.fdopen(descriptor, "w", encoding="utf-8") as env_file:
        env_file.write(content())
    print(f"Skrev {path} (DEBUG=1, en ny SECRET_KEY, demodatabasen).")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else str(BASE_DIR / ".env"))
