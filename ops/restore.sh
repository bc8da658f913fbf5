#!/usr/bin/env bash
# Restore a backup made by ops/backup.sh into an EMPTY database and an empty media folder, then prove it:
# the checksums match, migrations have nothing to apply, every figure agrees (check_figures) and every file a row
# refers to is there (check_files). Usage: DATABASE_URL=… MEDIA_ROOT=… ops/restore.sh BACKUP_DIR [python]
set -euo pipefail
src="${1:?usage: ops/restore.sh BACKUP_DIR [python]}"
python="${2:-python}"
: "${DATABASE_URL:?set DATABASE_URL to the empty database to restore into}"
media="${MEDIA_ROOT:-media}"
(cd "$src" && sha256sum --check --quiet SHA256SUMS)
tables=$(psql "$DATABASE_URL" -Atqc "select count(*) from information_schema.tables where table_schema='public'")
[ "$tables" = 0 ] || { echo "refused: the database is not empty ($tables tables); restore into an empty one"; exit 1; }
if [ -d "$media" ] && [ -n "$(ls -A "$media" 2>/dev/null)" ]; then echo "refused: $media is not empty"; exit 1; fi
pg_restore --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$src/database.dump"
mkdir -p "$media" && tar -C "$media" -xzf "$src/media.tar.gz"
"$python" manage.py migrate --check >/dev/null || { echo "the restored database lacks migrations of this code"; exit 1; }
"$python" manage.py check_figures
"$python" manage.py check_files
echo "restored from $src and checked"
