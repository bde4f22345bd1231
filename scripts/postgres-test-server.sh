#!/usr/bin/env bash
# Starts the machine's PostgreSQL 15 cluster (if stopped) and creates the roles and database the
# integration tests use. Idempotent. Used by .ci/run and by the tests' set-up when run locally.
#   scripts/postgres-test-server.sh            role gamedata_test / password gamedata_test / db gamedata_test
#                                              role gamedata_other (a second login without rights on the first's schemas)
set -euo pipefail
role=${GAMEDATA_TEST_PGROLE:-gamedata_test}
if command -v pg_ctlcluster > /dev/null; then
  pg_ctlcluster 15 main start 2> /dev/null || true
fi
for _ in $(seq 1 30); do
  su postgres -c "psql -qtAc 'select 1'" > /dev/null 2>&1 && break
  sleep 1
done
su postgres -c "psql -v ON_ERROR_STOP=1 -qtA" <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$role') THEN
    CREATE ROLE $role LOGIN PASSWORD '$role' CREATEDB;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'gamedata_other') THEN
    CREATE ROLE gamedata_other LOGIN PASSWORD 'gamedata_other';
  END IF;
END \$\$;
SELECT 'CREATE DATABASE $role OWNER $role' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '$role')\gexec
GRANT CREATE ON DATABASE $role TO gamedata_other;
-- A test database: a commit need not wait for its WAL to reach the disk (the server is never crashed by a test; the
-- kills stop the client). The tests commit thousands of small transactions.
ALTER DATABASE $role SET synchronous_commit = off;
SQL
echo "PostgreSQL ready: Host=localhost;Username=$role;Password=***;Database=$role"
