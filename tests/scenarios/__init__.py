"""The test suite's one scenario module: the businesses, people, cases, certificates, files
and clients that tests across the tree start from, as fixtures and plain helpers.

The root conftest registers this package as a pytest plugin, and it registers the modules
that hold fixtures; a test uses those fixtures by name and imports plain helpers from here
(`from tests.scenarios.cases import recommended`), never from another test module or conftest.

- `days`: `at(day)` and the fixed scenario day the case story starts on;
- `cases`: a business, its owner and self-assessment, the PORT office and its officers, a
  submitted case, and the steps from there to a decision;
- `evidence`: sample files, scanners that answer as told, a real clamd, a media folder;
- `certificates`: signing keys of a test's own, certificates built fast, published ones;
- `api`: personal and machine tokens, a bearer-token client, RFC 9457 problem checks;
- `mra`, `screening`, `independent`, `browser`: plain helpers only (no fixtures).
"""

pytest_plugins = [
    "tests.scenarios.days",
    "tests.scenarios.cases",
    "tests.scenarios.evidence",
    "tests.scenarios.certificates",
    "tests.scenarios.api",
]
