#!/usr/bin/env bash
# Start the local PostgreSQL 15 cluster and make the role the test suite uses (idempotent).
set -euo pipefail
if ! pg_lsclusters 2>/dev/null | grep -q '^15 *main.*online'; then
  pg_ctlcluster 15 main start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p 5432 && break
  sleep 1
done
as_postgres() { if [ "$(id -u)" = "0" ]; then su postgres -c "$1"; else sudo -u postgres bash -c "$1"; fi; }
as_postgres "psql -q -tc \"SELECT 1 FROM pg_roles WHERE rolname='uhc'\" | grep -q 1 || psql -q -c \"CREATE ROLE uhc LOGIN CREATEDB PASSWORD 'uhc'\""
as_postgres "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname='uhc'\" | grep -q 1 || psql -q -c \"CREATE DATABASE uhc OWNER uhc\""
# A throwaway cluster for the tests: no waiting for the disk on every commit (the suite flushes and
# recreates data constantly). Never do this on a database whose data matters.
as_postgres "psql -q -c 'ALTER SYSTEM SET fsync = off' -c 'ALTER SYSTEM SET synchronous_commit = off' -c 'ALTER SYSTEM SET full_page_writes = off' -c 'SELECT pg_reload_conf()' >/dev/null"
