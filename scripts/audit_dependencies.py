"""The dependency audit of `make test`: every package of requirements.lock against the known
vulnerabilities (pip-audit, PyPI's advisory data).

    python scripts/audit_dependencies.py [--lock requirements.lock] [--ignore audit-ignore.txt]

Exit status: 0 when no known vulnerability is found (or each one found is in the ignore list with
its reason), 1 when one is found, and 0 with a clear "NOT CHECKED" line when the advisory service
cannot be reached (no network, a proxy, PyPI's JSON API away): an offline build still runs, and
says it was not audited.

The ignore list (audit-ignore.txt): one vulnerability id a line (GHSA-…, PYSEC-…, CVE-…),
followed by the reason it does not apply to Inbeeld or why it must wait; a line without a reason
is refused. Review it at each `make lock`.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

#: words in pip-audit's error output that mean the service was not reached
_NETWORK_SIGNS = (
    "ConnectionError",
    "ConnectTimeout",
    "ReadTimeout",
    "Max retries exceeded",
    "NameResolutionError",
    "Temporary failure in name resolution",
    "ServiceError",
    "Network is unreachable",
    "SSLError",
    "ProxyError",
)


def ignored(path: Path) -> dict[str, str]:
    """The ignore list: vulnerability id -> reason."""
    if not path.exists():
        return {}
    entries: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        vuln, _, reason = line.partition(" ")
        if not reason.strip():
            raise SystemExit(f"{path}:{number}: {vuln} needs a reason after it")
        entries[vuln] = reason.strip()
    return entries


def not_checked(why: str) -> int:
    print(f"dependency audit: NOT CHECKED: {why}; the build goes on without it", flush=True)
    return 0


def audit(lock: Path, ignore: dict[str, str], service: str) -> int:
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "audit.json"
        command = [
            sys.executable, "-m", "pip_audit", "--requirement", str(lock), "--require-hashes",
            "--disable-pip", "--vulnerability-service", service, "--format", "json",
            "--output", str(report), "--progress-spinner", "off",
        ]  # fmt: skip
        for vuln in ignore:
            command += ["--ignore-vuln", vuln]
        done = subprocess.run(command, capture_output=True, text=True, check=False)
        text = report.read_text(encoding="utf-8") if report.exists() else ""
    try:
        result = json.loads(text) if text.strip() else None
    except json.JSONDecodeError:
        result = None
    if result is None:
        if any(sign in done.stderr for sign in _NETWORK_SIGNS):
            return not_checked(f"the advisory service ({service}) could not be reached")
        sys.stderr.write(done.stderr)
        print(f"dependency audit: pip-audit failed (exit {done.returncode})", file=sys.stderr)
        return done.returncode or 1
    packages = result.get("dependencies", [])
    skipped = [p for p in packages if "skip_reason" in p]
    if packages and len(skipped) == len(packages):
        return not_checked(
            f"the advisory service ({service}) answered for none of the {len(packages)} packages"
        )
    found = [(p["name"], p["version"], v) for p in packages for v in p.get("vulns", [])]
    for name, version, vuln in found:
        fixed = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
        print(f"{name} {version}: {vuln['id']} (fixed in {fixed})")
    for vuln, reason in ignore.items():
        print(f"ignored: {vuln}: {reason}")
    checked = len(packages) - len(skipped)
    note = f"; {len(skipped)} not found at the service" if skipped else ""
    if found:
        print(
            f"dependency audit: {len(found)} known vulnerability(ies) in {checked} packages{note}: "
            "raise the version (make lock) or add the id with its reason to audit-ignore.txt",
            file=sys.stderr,
        )
        return 1
    print(f"dependency audit: no known vulnerabilities in {checked} packages{note}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lock", type=Path, default=Path("requirements.lock"))
    parser.add_argument("--ignore", type=Path, default=Path("audit-ignore.txt"))
    parser.add_argument("--service", choices=["pypi", "osv"], default="pypi")
    args = parser.parse_args(argv)
    return audit(args.lock, ignored(args.ignore), args.service)


if __name__ == "__main__":
    raise SystemExit(main())
