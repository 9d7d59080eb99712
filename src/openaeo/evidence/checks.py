"""Deployment check: without a virus scanner, every uploaded file stays quarantined."""

from django.core.checks import Warning, register

from openaeo.evidence import scanning


@register(deploy=True)
def virus_scanner_configured(app_configs, **kwargs):
    if isinstance(scanning.get_scanner(), scanning.UnconfiguredScanner):
        return [
            Warning(
                "No virus scanner is configured: uploaded evidence files will stay quarantined "
                "and cannot be downloaded.",
                hint="Set CLAMD_SOCKET, or CLAMD_HOST and CLAMD_PORT (docs/operations.md).",
                id="evidence.W001",
            )
        ]
    return []
