"""An import inside a function says why on its line or the line above (an AppConfig loaded
before the models, a heavy library loaded on first use, ...). The imports that do not yet
say so are listed by file in inner_imports_to_hoist.txt: the list may only shrink."""

import ast
from collections import Counter
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[2] / "src" / "openaeo"
BASELINE = Path(__file__).with_name("inner_imports_to_hoist.txt")


def uncommented_inner_imports() -> Counter:
    """(file, imported module) -> how many function-level imports of it give no reason."""
    found: Counter = Counter()
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        lines = path.read_text().splitlines()
        seen: set[int] = set()
        for node in ast.walk(ast.parse("\n".join(lines))):
            if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for inner in ast.walk(node):
                if not isinstance(inner, ast.Import | ast.ImportFrom) or inner.lineno in seen:
                    continue
                seen.add(inner.lineno)
                line = lines[inner.lineno - 1]
                above = lines[inner.lineno - 2].strip() if inner.lineno > 1 else ""
                if "#" in line or above.startswith("#"):
                    continue
                module = inner.module if isinstance(inner, ast.ImportFrom) else inner.names[0].name
                found[(str(path.relative_to(SRC)), module)] += 1
    return found


def baseline() -> Counter:
    listed: Counter = Counter()
    for line in BASELINE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            count, where, module = line.split()
            listed[(where, module)] = int(count)
    return listed


@pytest.mark.domain
def test_no_new_import_inside_a_function_without_a_reason():
    new = uncommented_inner_imports() - baseline()
    assert not new, (
        "Import at the top of the module, or say on the line above why it must be inside "
        f"the function: {sorted(new)}"
    )


@pytest.mark.domain
def test_the_list_of_imports_to_hoist_only_shrinks():
    gone = baseline() - uncommented_inner_imports()
    assert not gone, f"Hoisted: remove them from {BASELINE.name}: {sorted(gone)}"


def write_baseline() -> (
    None
):  # python -c "from tests.common.test_import_rules import *; write_baseline()"
    rows = sorted(uncommented_inner_imports().items())
    header = (
        "# Function-level imports that do not yet say why (tests/common/test_import_rules.py).\n"
        "# count  file  module. Hoist one, or give its reason, then delete its line.\n"
    )
    BASELINE.write_text(header + "".join(f"{n} {w} {m}\n" for (w, m), n in rows))
