"""`openaeo-verify`: check an AEO credential offline, with files downloaded beforehand.

    openaeo-verify CREDENTIAL --jwks FILE [--status-list FILE ...] [--at INSTANT]

CREDENTIAL is the credential file (a JWT), or `-` to read it from standard input.
`--jwks` is the administration's key set (`/.well-known/jwks.json`); each `--status-list`
is a signed status list credential (`/certificates/status/revocation/N.jwt`,
`.../suspension/N.jwt`), whose signature is checked with the same keys.

Prints one line and exits with
    0  valid,
    1  invalid (damaged, changed after signing, not signed by these keys, not yet valid),
    2  revoked, suspended or expired,
    3  the command could not run (a file is missing or unreadable).

No Django and no network: only the standard library and `cryptography`.
"""

import argparse
import datetime as dt
import json
import sys

from openaeo.certificates import vc_check

EXIT_VALID, EXIT_INVALID, EXIT_WITHDRAWN, EXIT_USAGE = 0, 1, 2, 3


def _read(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    with open(path, encoding="utf-8") as handle:
        return handle.read()


def _describe(payload: dict) -> str:
    subject = payload.get("credentialSubject") or {}
    issuer = payload.get("issuer")
    issuer_name = issuer.get("name") or issuer.get("id") if isinstance(issuer, dict) else issuer
    tier = subject.get("tier") or {}
    tier_name = tier.get("name") or tier.get("code") if isinstance(tier, dict) else tier
    return (
        f"{subject.get('aeoNumber', '?')}, {subject.get('name', '?')}, level {tier_name or '?'}, "
        f"valid from {str(payload.get('validFrom', '?'))[:10]}, issued by {issuer_name or '?'}"
    )


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # argparse would exit with 2, which here means "revoked, suspended or expired".
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: error: {message}\n")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="openaeo-verify",
        description="Check an AEO certificate credential offline: its signature, its dates "
        "and, given status list files, whether it is revoked or suspended.",
        epilog="Exit status: 0 valid, 1 invalid, 2 revoked, suspended or expired, "
        "3 a file could not be read.",
    )
    parser.add_argument("credential", help="the credential file (a JWT), or - for stdin")
    parser.add_argument("--jwks", required=True, help="the administration's keys (jwks.json)")
    parser.add_argument(
        "--status-list",
        action="append",
        default=[],
        metavar="FILE",
        help="a signed status list credential (.jwt); may be given several times",
    )
    parser.add_argument(
        "--at",
        help="check as of this instant (ISO 8601, e.g. 2027-01-31T00:00:00Z) instead of now",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    now = dt.datetime.now(dt.UTC)
    if args.at:
        now = vc_check.parse_instant(args.at)
        if now is None:
            print(f"ERROR: --at {args.at!r} is not an ISO 8601 instant.", file=sys.stderr)
            return EXIT_USAGE
    try:
        token = _read(args.credential)
        jwks = json.loads(_read(args.jwks))
        lists = [_read(path) for path in args.status_list]
    except (OSError, UnicodeDecodeError) as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ValueError:
        print(f"ERROR: {args.jwks} is not a JSON key set.", file=sys.stderr)
        return EXIT_USAGE
    if not isinstance(jwks, dict):
        print(f"ERROR: {args.jwks} is not a JSON key set.", file=sys.stderr)
        return EXIT_USAGE

    status_lists = {}
    for path, list_token in zip(args.status_list, lists, strict=True):
        try:
            payload = vc_check.verify_status_list(list_token, jwks, now=now)
        except vc_check.CheckFailed as error:
            print(f"INVALID: {path}: {error}")
            return EXIT_INVALID
        status_lists[payload.get("id")] = payload

    outcome = vc_check.check_credential(token, jwks, now=now, status_lists=status_lists)
    if outcome.status == vc_check.INVALID:
        print(f"INVALID: {outcome.reason}")
        return EXIT_INVALID
    described = _describe(outcome.payload)
    if outcome.status != vc_check.VALID:
        print(f"{outcome.status.upper()}: {described}. {outcome.reason}")
        return EXIT_WITHDRAWN
    if outcome.unchecked:
        note = " Not checked (no status list given): " + ", ".join(sorted(outcome.unchecked))
    else:
        note = " Revocation and suspension checked."
    print(f"VALID: {described}.{note}")
    return EXIT_VALID


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
