"""Writing and comparing the fixture files (JSON, indent 2, stable order, UTF-8)."""

import json
import os
import tempfile
from pathlib import Path


def render(objects: list[dict]) -> str:
    return json.dumps(objects, ensure_ascii=False, indent=2) + "\n"


def write_all(directory: Path, fixtures: dict[str, list[dict]]) -> None:
    """Write every file or none: each goes to a temporary file first, then all are renamed."""
    directory.mkdir(parents=True, exist_ok=True)
    staged = []
    try:
        for name, objects in fixtures.items():
            handle, temp = tempfile.mkstemp(dir=directory, prefix=f".{name}.", suffix=".tmp")
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(render(objects))
            os.chmod(temp, 0o644)  # mkstemp creates private files; fixtures are ordinary files
            staged.append((temp, directory / name))
    except BaseException:
        for temp, _ in staged:
            os.unlink(temp)
        raise
    for temp, target in staged:
        os.replace(temp, target)


def differences(directory: Path, fixtures: dict[str, list[dict]]) -> list[str]:
    """The names of the files whose content on disk differs from ``fixtures``."""
    changed = []
    for name, objects in fixtures.items():
        path = directory / name
        if not path.exists() or path.read_text(encoding="utf-8") != render(objects):
            changed.append(name)
    return changed
