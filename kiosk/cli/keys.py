"""``kiosk keys`` and ``kiosk store``: encrypted bundles and the designer store's retention.

- ``kiosk keys new DIR``: (designer) make a key pair in DIR: ``designer-public-key.txt``
  (for the kiosks) and ``designer-private-key.txt`` (keep it; it opens the bundles).
- ``kiosk keys install PUBLIC_KEY_FILE [--replace]``: (kiosk) from now on every export is
  encrypted to that key. A stick's ``kiosk-export/designer-public-key.txt`` does the same
  when the kiosk has no key yet.
- ``kiosk keys show``: which key this kiosk encrypts to, if any.
- ``kiosk import --key PRIVATE_KEY_FILE BUNDLE...``: the ``--key`` option is added here to
  the sessions module's import command, so encrypted bundles can be read.
- ``kiosk store delete SESSION_ID... --yes``: (designer) delete sessions from the designer
  store for good (retention); re-importing an old bundle does not bring them back.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from kiosk.cli.help import help_handler
from kiosk.errors import KioskError
from kiosk.home import Home


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``keys`` and ``store``, and ``--key`` on ``import`` when that command exists."""
    keys = subparsers.add_parser("keys", help="encrypt exported logs for the design team")
    inner = keys.add_subparsers(dest="keys_command", metavar="ACTION")
    new = inner.add_parser("new", help="(designer) make a public/private key pair in DIR")
    new.add_argument("folder", metavar="DIR")
    new.set_defaults(handler=new_command)
    install = inner.add_parser("install", help="(kiosk) encrypt every export to this key")
    install.add_argument("key", metavar="PUBLIC_KEY_FILE")
    install.add_argument("--replace", action="store_true", help="replace the key already there")
    install.set_defaults(handler=install_command)
    show = inner.add_parser("show", help="the key this kiosk encrypts exports to")
    show.set_defaults(handler=show_command)
    keys.set_defaults(handler=help_handler(keys))

    store = subparsers.add_parser("store", help="(designer) manage the designer store")
    store_inner = store.add_subparsers(dest="store_command", metavar="ACTION")
    delete = store_inner.add_parser("delete", help="delete sessions for good (needs --yes)")
    delete.add_argument("sessions", metavar="SESSION_ID", nargs="+")
    delete.add_argument("--yes", action="store_true", help="really delete (the confirmation)")
    delete.set_defaults(handler=delete_command)
    store.set_defaults(handler=help_handler(store))

    importer = subparsers.choices.get("import")
    if importer is not None:
        importer.add_argument("--key", metavar="PRIVATE_KEY_FILE",
                              help="your private key, to read encrypted bundles")
        importer.set_defaults(handler=import_command)


def new_command(args: argparse.Namespace, home: Home) -> int:
    from kiosk.sessions.crypto import new_key_pair

    public, private = new_key_pair(Path(args.folder))
    print(f"Public key (put it on each kiosk, or in kiosk-export/ on a stick): {public}")
    print(f"Private key (keep it safe; it opens the bundles; never put it on a kiosk): {private}")
    return 0


def install_command(args: argparse.Namespace, home: Home) -> int:
    from kiosk.sessions.crypto import install_public_key

    target = install_public_key(home.root, Path(args.key), replace=args.replace)
    print(f"Installed {target}. From now on this kiosk writes only encrypted bundles.")
    return 0


def show_command(args: argparse.Namespace, home: Home) -> int:
    from kiosk.sessions.crypto import installed_key_file, read_public_keys

    path = installed_key_file(home.root)
    if not path.exists():
        print("No designer key is installed: exported bundles are not encrypted.")
        return 0
    for key in read_public_keys(path):
        print(f"Exports are encrypted to {key}")
    return 0


def import_command(args: argparse.Namespace, home: Home) -> int:
    """``kiosk import``, able to open encrypted bundles with ``--key``."""
    from kiosk.cli import sessions
    from kiosk.sessions.crypto import read_private_keys

    identities = read_private_keys(Path(args.key)) if getattr(args, "key", None) else []
    return sessions.import_command(args, home, identities)


def delete_command(args: argparse.Namespace, home: Home) -> int:
    from kiosk.cli.sessions import designer_store, progress_line
    from kiosk.sessions.importer import DesignerStore, store_exists

    if not store_exists(designer_store(home)):
        raise KioskError("Nothing has been imported yet, so there is nothing to delete.")
    if not args.yes:
        print("This deletes those sessions and all their answers from the designer store for "
              "good. Run it again with --yes to do it.")
        return 2
    store = DesignerStore(designer_store(home), progress=progress_line)
    try:
        for session_id in args.sessions:
            count = store.delete_session(session_id)
            print(f"Deleted session {session_id} and its {count} events.")
    finally:
        store.close()
    return 0
