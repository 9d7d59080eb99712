#!/bin/sh
# Restore an OpenAEO backup into an EMPTY database, then check the audit trail.
#   ops/restore.sh DUMP_FILE DATABASE_URL
# The target database must exist and be empty. After the restore, the audit
# chain is verified with `manage.py audit_verify`, so a damaged backup is noticed
# at once rather than on the day it is needed.
set -eu
dump=${1:?usage: restore.sh DUMP_FILE DATABASE_URL}
url=${2:?usage: restore.sh DUMP_FILE DATABASE_URL}
here=$(cd "$(dirname "$0")/.." && pwd)
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$url" "$dump"
python=${PYTHON:-$here/.venv/bin/python}
DATABASE_URL="$url" "$python" "$here/manage.py" audit_verify
