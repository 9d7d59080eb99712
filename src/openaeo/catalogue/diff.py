"""What changed between two catalogue versions (pure)."""

from dataclasses import dataclass

from openaeo.common.audit_chain import canonical_json


@dataclass(frozen=True)
class CatalogueDiff:
    added: list[str]
    removed: list[str]
    changed: list[tuple[str, list[str]]]  # requirement id, names of changed fields

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)


def _requirements(catalogue: dict) -> dict[str, dict]:
    return {
        requirement["id"]: requirement
        for heading in catalogue["headings"]
        for requirement in heading["requirements"]
    }


def diff_catalogues(old: dict, new: dict) -> CatalogueDiff:
    before, after = _requirements(old), _requirements(new)
    changed = []
    for requirement_id in sorted(before.keys() & after.keys()):
        fields = sorted(
            key
            for key in before[requirement_id].keys() | after[requirement_id].keys()
            if canonical_json(before[requirement_id].get(key))
            != canonical_json(after[requirement_id].get(key))
        )
        if fields:
            changed.append((requirement_id, fields))
    return CatalogueDiff(
        added=sorted(after.keys() - before.keys()),
        removed=sorted(before.keys() - after.keys()),
        changed=changed,
    )
