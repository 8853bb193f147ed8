#!/usr/bin/env bash
# Start the local PostgreSQL server for the storage tests and create the test role.
# Idempotent; needs root and Debian's postgresql package (apt-get install postgresql).
# Prints the line to eval/source, e.g.:  eval "$(bash .ci/postgres.sh)"
set -euo pipefail

version=$(pg_lsclusters -h | awk 'NR==1 {print $1}')
cluster=$(pg_lsclusters -h | awk 'NR==1 {print $2}')
if [ -z "$version" ]; then
    echo "postgres.sh: no PostgreSQL cluster found (apt-get install postgresql)" >&2
    exit 1
fi
if ! pg_lsclusters -h | awk 'NR==1 {print $4}' | grep -q online; then
    pg_ctlcluster "$version" "$cluster" start >&2
fi
su postgres -c "psql -v ON_ERROR_STOP=1 -qtAc \"DO \\\$\\\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tt') THEN
    CREATE ROLE tt LOGIN SUPERUSER PASSWORD 'tt';
  END IF;
END \\\$\\\$\"" >&2
port=$(pg_lsclusters -h | awk 'NR==1 {print $3}')
echo "export TEST_POSTGRES_URL=postgresql+psycopg://tt:tt@127.0.0.1:${port}/postgres"
