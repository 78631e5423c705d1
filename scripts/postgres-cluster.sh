#!/usr/bin/env bash
# A throwaway PostgreSQL 15 + pgvector cluster for development, tests and CI (INDEX_STORE=postgres).
#
#   bash scripts/postgres-cluster.sh start   # (npm run postgres:start) install what is missing, build
#                                            # pgvector once, start or reuse the cluster; the LAST line of
#                                            # output is DATABASE_URL=postgres://...
#   bash scripts/postgres-cluster.sh stop    # (npm run postgres:stop) stop it; the data folder stays
#   bash scripts/postgres-cluster.sh url     # print DATABASE_URL=... of the running cluster
#
# Everything but the last line goes to standard error, so `… start | tail -n 1` is the URL.
#
# Settings (environment):
#   CITEQA_POSTGRES_DIR  where the cluster lives (data/, socket, log, port); default <project>/.postgres
#                        (git-ignored). When the postgres user cannot reach it (a project under a home
#                        folder closed to others), /var/tmp/citeqa-postgres-<hash of the project path>.
#   CITEQA_POSTGRES_DB   the database created in it; default citeqa
#   CITEQA_PGVECTOR_CACHE where pgvector's source is fetched and built; default <project>/.cache/pgvector
#
# Why so: Debian bookworm ships PostgreSQL 15 but no pgvector for it; the next release (trixie) has
# pgvector's Debian source package, which builds against postgresql-server-dev-15 in seconds. Its
# sources index is fetched into a private apt state under the cache folder (its own sources list,
# lists folder and cache), so the system's apt sources and package choices are not changed at all.
set -euo pipefail

PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PG_VERSION=15
PG_BIN="/usr/lib/postgresql/${PG_VERSION}/bin"
DATABASE_NAME="${CITEQA_POSTGRES_DB:-citeqa}"
PGVECTOR_CACHE="${CITEQA_PGVECTOR_CACHE:-${PROJECT_ROOT}/.cache/pgvector}"

log() { echo "postgres-cluster: $*" >&2; }
fail() { echo "postgres-cluster: $*" >&2; exit 1; }

[ "$(id -u)" = 0 ] || fail "run as root (it installs packages and starts the server as the postgres user); you are $(id -un)"

# From /: the postgres user may not be allowed into the current folder (a project under /root).
as_postgres() { (cd / && runuser -u postgres -- "$@"); }

# --- where the cluster lives ---------------------------------------------------------------------
choose_cluster_dir() {
  if [ -n "${CITEQA_POSTGRES_DIR:-}" ]; then
    CLUSTER_DIR="$(realpath -m "$CITEQA_POSTGRES_DIR")"
  else
    CLUSTER_DIR="${PROJECT_ROOT}/.postgres"
    # The server runs as postgres, which must be able to walk down to its data folder.
    if id postgres >/dev/null 2>&1 && ! as_postgres test -x "$PROJECT_ROOT"; then
      CLUSTER_DIR="/var/tmp/citeqa-postgres-$(printf '%s' "$PROJECT_ROOT" | cksum | cut -d' ' -f1)"
      log "the postgres user cannot enter ${PROJECT_ROOT}; using ${CLUSTER_DIR}"
    fi
  fi
  DATA_DIR="${CLUSTER_DIR}/data"
  SOCKET_DIR="${CLUSTER_DIR}/socket"
  LOG_FILE="${CLUSTER_DIR}/server.log"
  PORT_FILE="${CLUSTER_DIR}/port"
}

# --- packages ------------------------------------------------------------------------------------
apt_updated=0
apt_install() {
  if [ "$apt_updated" = 0 ]; then
    log "apt-get update"
    apt-get update -qq >&2
    apt_updated=1
  fi
  log "apt-get install $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }

install_missing_packages() {
  local missing=()
  for package in "postgresql-${PG_VERSION}" "postgresql-server-dev-${PG_VERSION}" build-essential dpkg-dev; do
    installed "$package" || missing+=("$package")
  done
  if [ "${#missing[@]}" -gt 0 ]; then apt_install "${missing[@]}"; fi
  id postgres >/dev/null 2>&1 || fail "the postgres user is missing after installing postgresql-${PG_VERSION}"
}

# --- pgvector ------------------------------------------------------------------------------------
pgvector_installed() {
  local share
  share="$("${PG_BIN}/pg_config" --sharedir)"
  [ -f "${share}/extension/vector.control" ] && [ -f "$("${PG_BIN}/pg_config" --pkglibdir)/vector.so" ]
}

build_pgvector() {
  pgvector_installed && return 0
  log "building pgvector from Debian trixie's source package (once) in ${PGVECTOR_CACHE}"
  local apt_state="${PGVECTOR_CACHE}/apt"
  mkdir -p "${apt_state}/lists/partial" "${apt_state}/cache/archives/partial" "${apt_state}/sources.list.d"
  cat > "${apt_state}/sources.list" <<EOF
deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
EOF
  # A private apt configuration: only this deb-src line, its own lists and cache.
  local apt_options=(
    -o "Dir::Etc::SourceList=${apt_state}/sources.list"
    -o "Dir::Etc::SourceParts=${apt_state}/sources.list.d"
    -o "Dir::State::Lists=${apt_state}/lists"
    -o "Dir::Cache=${apt_state}/cache"
    -o "APT::Sandbox::User=root"
  )
  apt-get "${apt_options[@]}" update -qq >&2
  local source_dir="${PGVECTOR_CACHE}/source"
  rm -rf "$source_dir" && mkdir -p "$source_dir"
  (cd "$source_dir" && apt-get "${apt_options[@]}" source -qq pgvector >&2)
  local unpacked
  unpacked="$(find "$source_dir" -mindepth 1 -maxdepth 1 -type d -name 'pgvector-*' | head -n 1)"
  [ -n "$unpacked" ] || fail "apt-get source pgvector unpacked nothing in ${source_dir}"
  log "make && make install in ${unpacked} (PG_CONFIG=${PG_BIN}/pg_config)"
  # OPTFLAGS="" leaves out -march=native, so the build runs on any x86-64 machine it is copied to.
  make -C "$unpacked" -s PG_CONFIG="${PG_BIN}/pg_config" OPTFLAGS="" >&2
  make -C "$unpacked" -s PG_CONFIG="${PG_BIN}/pg_config" install >&2
  pgvector_installed || fail "pgvector was built but vector.control or vector.so is not installed"
}

# --- the cluster ---------------------------------------------------------------------------------
free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

port_is_free() {
  node -e "const s=require('net').createServer();s.once('error',()=>process.exit(1));s.listen($1,'127.0.0.1',()=>s.close())"
}

cluster_running() {
  [ -f "${DATA_DIR}/PG_VERSION" ] && as_postgres "${PG_BIN}/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1
}

print_url() {
  echo "DATABASE_URL=postgres://postgres@127.0.0.1:$(cat "$PORT_FILE")/${DATABASE_NAME}"
}

start_cluster() {
  mkdir -p "$CLUSTER_DIR" "$SOCKET_DIR"
  chown postgres:postgres "$CLUSTER_DIR" "$SOCKET_DIR"
  if cluster_running; then
    log "reusing the running cluster in ${DATA_DIR}"
  else
    if [ ! -f "${DATA_DIR}/PG_VERSION" ]; then
      log "initdb ${DATA_DIR}"
      # trust: a throwaway cluster reached only on 127.0.0.1 and through a socket in its own folder.
      as_postgres "${PG_BIN}/initdb" -D "$DATA_DIR" --auth=trust --username=postgres --encoding=UTF8 --locale=C.UTF-8 >/dev/null
      cat >> "${DATA_DIR}/postgresql.conf" <<EOF
# citeqa's throwaway cluster: durability is not needed, speed is.
fsync = off
synchronous_commit = off
full_page_writes = off
listen_addresses = '127.0.0.1'
unix_socket_directories = '${SOCKET_DIR}'
max_connections = 200
EOF
    fi
    local port=""
    if [ -f "$PORT_FILE" ] && port_is_free "$(cat "$PORT_FILE")"; then port="$(cat "$PORT_FILE")"; else port="$(free_port)"; fi
    echo "$port" > "$PORT_FILE"
    log "starting PostgreSQL ${PG_VERSION} on 127.0.0.1:${port} (log ${LOG_FILE})"
    as_postgres "${PG_BIN}/pg_ctl" -D "$DATA_DIR" -l "$LOG_FILE" -o "-p ${port}" -w -t 60 start >/dev/null \
      || { tail -n 20 "$LOG_FILE" >&2; fail "the server did not start (log above, ${LOG_FILE})"; }
  fi
  local port
  port="$(cat "$PORT_FILE")"
  local psql=("${PG_BIN}/psql" -h "$SOCKET_DIR" -p "$port" -U postgres -v ON_ERROR_STOP=1 -qAt)
  if [ "$(as_postgres "${psql[@]}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '${DATABASE_NAME}'")" != 1 ]; then
    as_postgres "${psql[@]}" -d postgres -c "CREATE DATABASE \"${DATABASE_NAME}\"" >&2
  fi
  as_postgres "${psql[@]}" -d "$DATABASE_NAME" -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS vector" >&2
  # template1 too, so a test that creates its own database has the extension already.
  as_postgres "${psql[@]}" -d template1 -c "SET client_min_messages = warning; CREATE EXTENSION IF NOT EXISTS vector" >&2
  log "pgvector $(as_postgres "${psql[@]}" -d "$DATABASE_NAME" -c "SELECT extversion FROM pg_extension WHERE extname = 'vector'") in database ${DATABASE_NAME}"
  print_url
}

stop_cluster() {
  if cluster_running; then
    as_postgres "${PG_BIN}/pg_ctl" -D "$DATA_DIR" -m fast -w stop >/dev/null
    log "stopped the cluster in ${DATA_DIR}"
  else
    log "no cluster is running in ${DATA_DIR}"
  fi
}

command="${1:-}"
case "$command" in
  start)
    install_missing_packages
    build_pgvector
    choose_cluster_dir
    start_cluster
    ;;
  stop)
    choose_cluster_dir
    stop_cluster
    ;;
  url)
    choose_cluster_dir
    cluster_running || fail "no cluster is running in ${DATA_DIR}; run npm run postgres:start"
    print_url
    ;;
  *)
    fail "unknown command '${command}': expected start, stop or url"
    ;;
esac
