# Helpers for .ci/run: install tools, build and start FerretDB.
# FerretDB is an independent, MongoDB-compatible server (Apache-2.0). It is
# built from source through the Go module proxy, because no MongoDB can be
# installed or pulled on the CI machines. Its sources, a small wrapper
# pinned by go.mod and go.sum, belong to the course's MongoDB discovery
# (tests/mongodb-server/ferretdb), which builds the same binary for learners
# without Docker.

ci_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ferretdb_src="$ci_dir/../tests/mongodb-server/ferretdb"

ensure_rust() {
  command -v cargo >/dev/null || { echo "cargo is missing: install Rust with rustup" >&2; exit 1; }
  rustup component list --installed 2>/dev/null | grep -q '^rustfmt' || rustup component add rustfmt
  rustup component list --installed 2>/dev/null | grep -q '^clippy' || rustup component add clippy
  cargo --version
}

# Installs Debian packages, reading the package lists once per run.
apt_install() {
  if [ -z "${apt_lists_read:-}" ]; then
    apt-get update -qq
    apt_lists_read=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_docker() {
  command -v dockerd >/dev/null || apt_install docker.io
  if ! docker info >/dev/null 2>&1; then
    (dockerd >/tmp/rust-course-dockerd.log 2>&1 &)
    for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
    docker info >/dev/null 2>&1 || { tail -20 /tmp/rust-course-dockerd.log >&2; echo "dockerd did not start" >&2; exit 1; }
  fi
  docker version --format 'docker engine {{.Server.Version}}'
}

# Puts Go on the PATH when it is installed but not there.
ensure_go() {
  command -v go >/dev/null || [ ! -x /usr/local/go/bin/go ] || PATH="$PATH:/usr/local/go/bin"
  command -v go >/dev/null || { echo "go is missing: FerretDB is built with Go 1.24 or newer" >&2; exit 1; }
  go version
}

# Prints the path of the FerretDB binary, building it when its sources changed.
# The name is the one the course's discovery gives it (the same hash).
build_ferretdb() {
  local cache=$1 key bin
  key=$(cat "$ferretdb_src/go.mod" "$ferretdb_src/go.sum" "$ferretdb_src/main.go" | sha256sum | cut -c1-16)
  bin="$cache/ferretdb-$key"
  if [ ! -x "$bin" ]; then
    local t=$SECONDS
    (cd "$ferretdb_src" && CGO_ENABLED=0 go build -trimpath -o "$bin.tmp" . && mv "$bin.tmp" "$bin") >&2
    echo "built FerretDB in $((SECONDS - t)) s" >&2
  fi
  echo "$bin"
}

# Prints the tag of a local image holding only the static FerretDB binary
# (the same as a `FROM scratch` image with one COPY), importing it if missing.
build_ferretdb_image() {
  local bin=$1 tag context
  tag="rust-course/ferretdb:1.24.2-$(basename "$bin" | sed 's/^ferretdb-//')"
  if ! docker image inspect "$tag" >/dev/null 2>&1; then
    context=$(mktemp -d)
    mkdir -p "$context/data" "$context/tmp"
    cp "$bin" "$context/ferretdb"
    tar -C "$context" -c ferretdb data tmp | docker import \
      --change 'ENTRYPOINT ["/ferretdb", "-listen-addr", "0.0.0.0:27017", "-data-dir", "/data"]' \
      --change 'ENV TMPDIR=/tmp' \
      --change 'EXPOSE 27017' \
      - "$tag" >/dev/null
    rm -rf "$context"
  fi
  echo "$tag"
}

# Starts FerretDB on loopback with a fresh data folder; prints its URI.
start_ferretdb() {
  local bin=$1 dir=$2 port=37017
  rm -rf "$dir" && mkdir -p "$dir"
  "$bin" -listen-addr "127.0.0.1:$port" -data-dir "$dir/data" >"$dir/log" 2>&1 &
  echo $! >"$dir/pid"
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { cat "$dir/log" >&2; echo "FerretDB did not start" >&2; exit 1; }
  echo "mongodb://127.0.0.1:$port"
}

stop_ferretdb() {
  local dir=$1
  [ -f "$dir/pid" ] && kill "$(cat "$dir/pid")" 2>/dev/null || true
}

# Whether process $1 runs (a zombie, waiting to be collected, does not).
process_runs() {
  local state
  state=$(ps -o stat= -p "$1" 2>/dev/null) || return 1
  [[ $state != Z* ]]
}

# The process id of the FerretDB that the course's discovery recorded in
# the cache folder $1 (its XDG_CACHE_HOME), if any.
course_ferretdb_pid() {
  local state="$1/rust-course/mongodb.json"
  [ -f "$state" ] && sed -n 's/.*"pid": *\([0-9][0-9]*\).*/\1/p' "$state"
  return 0
}

# Stops that FerretDB, if it still runs.
stop_course_ferretdb() {
  local pid
  pid=$(course_ferretdb_pid "$1")
  [ -n "$pid" ] && process_runs "$pid" || return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 50); do process_runs "$pid" || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
}

# The tests keep their MongoDB container for the next run (quick for
# learners); CI removes them so nothing is left behind.
remove_test_containers() {
  local ids
  ids=$(docker ps -aq --filter label=rust-course=mongodb 2>/dev/null || true)
  [ -z "$ids" ] || docker rm -f $ids >/dev/null
}
