#!/bin/sh
# Back up the OpenAEO PostgreSQL database and the uploaded files.
#   ops/backup.sh DATABASE_URL BACKUP_DIR [MEDIA_ROOT]
# Writes openaeo-<UTC time>.dump (pg_dump custom format) and, when MEDIA_ROOT is
# given, openaeo-<UTC time>-media.tar.gz. Restore with ops/restore.sh.
set -eu
url=${1:?usage: backup.sh DATABASE_URL BACKUP_DIR [MEDIA_ROOT]}
dir=${2:?usage: backup.sh DATABASE_URL BACKUP_DIR [MEDIA_ROOT]}
media=${3:-}
stamp=$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$dir"
pg_dump --format=custom --no-owner --no-privileges --file="$dir/openaeo-$stamp.dump" "$url"
if [ -n "$media" ] && [ -d "$media" ]; then
    tar -czf "$dir/openaeo-$stamp-media.tar.gz" -C "$media" .
fi
echo "$dir/openaeo-$stamp.dump"
