"""Reading the project's YAML data files with libyaml's C loader when PyYAML has it (several times faster)."""

from __future__ import annotations

from pathlib import Path

import yaml

SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml_text(text: str):
    return yaml.load(text, Loader=SafeLoader)  # noqa: S506 - a safe loader


def load_yaml(path: str | Path):
    return load_yaml_text(Path(path).read_text(encoding="utf-8"))
