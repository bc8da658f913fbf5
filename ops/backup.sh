#!/usr/bin/env bash
# Back up the PBM tracker: the PostgreSQL database (pg_dump, custom format) and the uploaded files (MEDIA_ROOT),
# into one folder with a manifest of checksums. Usage: DATABASE_URL=… MEDIA_ROOT=… ops/backup.sh DEST_DIR
# In docker compose: docker compose run --rm -v "$PWD/backups:/backups" web ops/backup.sh /backups/$(date +%F)
set -euo pipefail
dest="${1:?usage: ops/backup.sh DEST_DIR}"
: "${DATABASE_URL:?set DATABASE_URL (postgres://…)}"
media="${MEDIA_ROOT:-media}"
mkdir -p "$dest"
pg_dump --format=custom --no-owner --no-privileges --file="$dest/database.dump" "$DATABASE_URL"
if [ -d "$media" ]; then tar -C "$media" -czf "$dest/media.tar.gz" .; else tar -czf "$dest/media.tar.gz" -T /dev/null; fi
(cd "$dest" && sha256sum database.dump media.tar.gz > SHA256SUMS)
echo "backup in $dest: $(du -sh "$dest" | cut -f1) ($(tar -tzf "$dest/media.tar.gz" | grep -vc '/$') files)"
