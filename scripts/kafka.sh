#!/usr/bin/env bash
# scripts/kafka.sh — a real, single-node Apache Kafka broker (KRaft) for tests, on 127.0.0.1.
#
#   scripts/kafka.sh start     fetch the jars (Maven), write the config, format fresh storage,
#                              start the broker in the background, wait until it accepts connections
#   scripts/kafka.sh stop      SIGTERM the broker started from this state dir (SIGKILL after 30 s)
#   scripts/kafka.sh status    is it running and answering? (exit 0 yes, 1 not running, 2 not answering)
#   scripts/kafka.sh logs [-f] tail of the broker logs (-f: follow)
#
# Environment:
#   KAFKA_HOME_DIR         state dir (jars, config, data, logs, pid)   default: <repo>/.kafka
#   KAFKA_PORT             client (PLAINTEXT) port                      default: 9092
#   KAFKA_CONTROLLER_PORT  KRaft controller port                        default: 9093
#   KAFKA_START_TIMEOUT    seconds to wait for the broker to answer     default: 120
#   KAFKA_HEAP_OPTS        JVM heap flags                               default: -Xms256m -Xmx512m
#
# Recipe and reasons: shared/design/kafka-in-ci.md. User guide: docs/kafka-for-tests.md.
# The Kafka version is pinned in ci/kafka/pom.xml. Never stops anything but the PID it saved.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CFG="$REPO/ci/kafka"
KDIR="${KAFKA_HOME_DIR:-$REPO/.kafka}"
case "$KDIR" in /*) ;; *) KDIR="$PWD/$KDIR" ;; esac # log.dirs must be absolute
HOST=127.0.0.1
PORT="${KAFKA_PORT:-9092}"
CPORT="${KAFKA_CONTROLLER_PORT:-9093}"
START_TIMEOUT="${KAFKA_START_TIMEOUT:-120}"
STOP_TIMEOUT=30
LIBS="$KDIR/libs"
LOGS="$KDIR/logs"
DATA="$KDIR/data"
PIDFILE="$KDIR/kafka.pid"
PROPS="$KDIR/server.properties"

log() { printf '[kafka] %s\n' "$*"; }
die() {
  printf '[kafka] ERROR: %s\n' "$*" >&2
  exit 1
}
now_ms() { date +%s%3N; }
since() { # elapsed seconds since a now_ms value, one decimal
  local d=$(($(now_ms) - $1))
  printf '%d.%d s' $((d / 1000)) $((d % 1000 / 100))
}

usage() {
  sed -n '2,18s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

check_port_var() { # name value
  if ! [[ "$2" =~ ^[0-9]{1,5}$ ]] || ((10#$2 < 1 || 10#$2 > 65535)); then
    die "$1='$2' is not a TCP port number (1-65535)"
  fi
}
check_port_var KAFKA_PORT "$PORT"
check_port_var KAFKA_CONTROLLER_PORT "$CPORT"
PORT=$((10#$PORT))
CPORT=$((10#$CPORT))
[[ "$PORT" != "$CPORT" ]] || die "KAFKA_PORT and KAFKA_CONTROLLER_PORT are both $PORT: give them different values"
[[ "$START_TIMEOUT" =~ ^[0-9]+$ ]] || die "KAFKA_START_TIMEOUT='$START_TIMEOUT' is not a number of seconds"

# Does something accept TCP connections on 127.0.0.1:<port>? (bash's /dev/tcp, bounded by timeout)
port_open() {
  # shellcheck disable=SC2016 # $1/$2 are the inner bash's arguments
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$HOST" "$1" 2>/dev/null
}

# Who listens on a port (best effort, for error messages).
port_owner() {
  if command -v ss >/dev/null 2>&1; then
    ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*users:((\(.*\)))/\1/p' | head -n 1
  fi
}

# The PID of the broker started from this state dir, if it is alive; empty otherwise.
# The command line is checked too, so a recycled PID is never taken for the broker.
broker_pid() {
  local pid
  [[ -f "$PIDFILE" ]] || return 0
  pid="$(tr -dc '0-9' <"$PIDFILE")"
  [[ -n "$pid" ]] || return 0
  kill -0 "$pid" 2>/dev/null || return 0
  if tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF "$PROPS" &&
    tr '\0' '\n' <"/proc/$pid/cmdline" 2>/dev/null | grep -qxF kafka.Kafka; then
    printf '%s\n' "$pid"
  fi
}

kafka_version() {
  local jar
  jar="$(find "$LIBS" -maxdepth 1 -name 'kafka_2.13-*.jar' 2>/dev/null | head -n 1)"
  jar="${jar##*/kafka_2.13-}"
  printf '%s\n' "${jar%.jar}"
}

show_logs() { # lines
  local f
  for f in "$LOGS/server.log" "$LOGS/stdout.log"; do
    if [[ -s "$f" ]]; then
      printf -- '----- last %s lines of %s -----\n' "$1" "$f"
      tail -n "$1" "$f"
    fi
  done
}

# Serialize start/stop from this state dir (two CI steps, or two terminals, at once).
lock() {
  mkdir -p "$KDIR"
  exec 9>"$KDIR/.lock"
  if ! flock -w 300 9; then
    die "another scripts/kafka.sh is still running on $KDIR after 300 s (lock $KDIR/.lock)"
  fi
}

need_tools() {
  command -v java >/dev/null 2>&1 ||
    die "java not found: install a JRE >= 17, e.g. apt-get install -y openjdk-17-jre-headless"
  local jv
  jv="$(java -version 2>&1 | sed -n 's/.*version "\([0-9]*\)[."].*/\1/p' | head -n 1)"
  # Kafka 3.9 brokers run on Java 11+, 4.x needs 17.
  [[ -n "$jv" && "$jv" -ge 11 ]] ||
    die "java is version '${jv:-unknown}' ($(command -v java)); Kafka needs Java 11+ (17 for 4.x): apt-get install -y openjdk-17-jre-headless"
  command -v mvn >/dev/null 2>&1 ||
    die "mvn not found (needed to fetch the Kafka jars from Maven Central): apt-get install -y maven"
  command -v flock >/dev/null 2>&1 || die "flock not found: apt-get install -y util-linux"
  command -v timeout >/dev/null 2>&1 || die "timeout not found: apt-get install -y coreutils"
}

fetch_jars() {
  local t0 rc=0 n size
  t0="$(now_ms)"
  log "fetching broker jars with Maven (ci/kafka/pom.xml -> $LIBS; fast when ~/.m2 is warm) ..."
  rm -rf "$LIBS.new"
  # Into a fresh dir, then swapped in: no stale jars from an older pin stay on the classpath.
  mvn -B -q -ntp -Dstyle.color=never -f "$CFG/pom.xml" \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$LIBS.new" >"$LOGS/mvn.log" 2>&1 || rc=$?
  if ((rc != 0)); then
    printf -- '----- last 40 lines of %s -----\n' "$LOGS/mvn.log" >&2
    tail -n 40 "$LOGS/mvn.log" >&2
    die "Maven could not fetch the Kafka jars (exit $rc). Check that Maven Central is reachable (mvn uses ~/.m2/settings.xml) and that ci/kafka/pom.xml pins a published version; full log: $LOGS/mvn.log"
  fi
  compgen -G "$LIBS.new/kafka_2.13-*.jar" >/dev/null ||
    die "Maven succeeded but $LIBS.new has no kafka_2.13 jar: check ci/kafka/pom.xml"
  rm -rf "$LIBS"
  mv "$LIBS.new" "$LIBS"
  n="$(find "$LIBS" -maxdepth 1 -name '*.jar' | wc -l)"
  size="$(du -sh "$LIBS" | cut -f1)"
  log "jars ready: Kafka $(kafka_version), $n jars, $size ($(since "$t0"))"
}

write_config() {
  # No inline comments: in .properties a '#' after a value becomes part of the value.
  cat >"$PROPS" <<EOF
# Written by scripts/kafka.sh at every start; edits are lost. See docs/kafka-for-tests.md.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@$HOST:$CPORT
listeners=PLAINTEXT://$HOST:$PORT,CONTROLLER://$HOST:$CPORT
advertised.listeners=PLAINTEXT://$HOST:$PORT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$DATA

# single node, test friendly
auto.create.topics.enable=true
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=1
group.initial.rebalance.delay.ms=0

# small machine (2 cores); the cleaner's dedupe buffer is allocated on the heap
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
log.cleaner.dedupe.buffer.size=16777216
EOF
  case "$(kafka_version)" in
    3.*) ;;
    *) printf '%s\n' 'share.coordinator.state.topic.replication.factor=1' \
      'share.coordinator.state.topic.min.isr=1' >>"$PROPS" ;;
  esac
  log "wrote $PROPS (client 127.0.0.1:$PORT, controller 127.0.0.1:$CPORT, data $DATA)"
}

# java options shared by StorageTool and the broker; each logging backend reads only its own flag.
LOGOPTS=(-Dkafka.logs.dir="$LOGS"
  -Dlog4j.configuration="file:$CFG/log4j.properties"
  -Dlog4j2.configurationFile="$CFG/log4j2.properties")

format_storage() {
  local t0 id="" rc=0
  t0="$(now_ms)"
  log "formatting fresh KRaft storage in $DATA ..."
  rm -rf "$DATA"
  # A random cluster id (22 chars of base64url, 16 bytes); like Kafka's own, never starting
  # with '-', which the option parser would take for a flag.
  while [[ -z "$id" || "$id" == -* ]]; do
    id="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"
  done
  # StorageTool logs through the same config: into logs/storage-tool/, so server.log stays the broker's.
  java "${LOGOPTS[@]}" -Dkafka.logs.dir="$LOGS/storage-tool" -cp "$LIBS/*" kafka.tools.StorageTool format \
    -t "$id" -c "$PROPS" >"$LOGS/format.log" 2>&1 || rc=$?
  if ((rc != 0)); then
    cat "$LOGS/format.log" >&2
    show_logs 40 >&2
    die "formatting the storage failed (exit $rc); the output above says why (config: $PROPS)"
  fi
  log "storage formatted, cluster id $id ($(since "$t0"))"
}

wait_ready() { # pid t0
  local pid="$1" t0="$2" deadline=$((SECONDS + START_TIMEOUT)) last=-1 el
  printf '[kafka] waiting for 127.0.0.1:%s to accept connections (up to %s s): ' "$PORT" "$START_TIMEOUT"
  until port_open "$PORT"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      printf ' exited\n'
      rm -f "$PIDFILE"
      show_logs 80 >&2
      die "the broker (pid $pid) exited during startup; see the logs above (all in $LOGS)"
    fi
    if ((SECONDS >= deadline)); then
      printf ' timeout\n'
      show_logs 80 >&2
      log "stopping the broker that did not come up (pid $pid)"
      stop_pid "$pid" >&2 || true
      rm -f "$PIDFILE"
      die "the broker did not accept connections on 127.0.0.1:$PORT within $START_TIMEOUT s; see the logs above. A slow machine: raise KAFKA_START_TIMEOUT"
    fi
    el=$((SECONDS - deadline + START_TIMEOUT))
    if ((el != last)); then
      if ((el > 0 && el % 10 == 0)); then printf '%ss' "$el"; else printf '.'; fi
      last=$el
    fi
    sleep 0.5
  done
  printf ' ready\n'
  log "broker up on 127.0.0.1:$PORT (pid $pid, Kafka $(kafka_version)) in $(since "$t0")"
}

cmd_start() {
  local t_all pid owner
  t_all="$(now_ms)"
  lock
  mkdir -p "$LOGS"

  pid="$(broker_pid)"
  if [[ -n "$pid" ]]; then
    if port_open "$PORT"; then
      log "already running: pid $pid answers on 127.0.0.1:$PORT (state $KDIR); nothing to do"
      log "use: export KAFKA_BROKERS=127.0.0.1:$PORT"
      return 0
    fi
    log "broker pid $pid (state $KDIR) is running but not answering yet"
    wait_ready "$pid" "$t_all"
    return 0
  fi
  if [[ -f "$PIDFILE" ]]; then
    log "removing stale pid file $PIDFILE (pid $(cat "$PIDFILE") is not a running broker)"
    rm -f "$PIDFILE"
  fi

  log "preflight: java, mvn, free ports 127.0.0.1:$PORT and :$CPORT"
  need_tools
  local p
  for p in "$PORT" "$CPORT"; do
    if port_open "$p"; then
      owner="$(port_owner "$p")"
      die "127.0.0.1:$p already accepts connections${owner:+ (held by $owner)}, and it is not a broker started from $KDIR. Another broker (e.g. one started from another checkout: run 'scripts/kafka.sh stop' there) or another program holds it. Stop it, or pick free ports: KAFKA_PORT=19092 KAFKA_CONTROLLER_PORT=19093 scripts/kafka.sh start (then KAFKA_BROKERS=127.0.0.1:19092)"
    fi
  done

  fetch_jars
  write_config
  format_storage

  local t0
  t0="$(now_ms)"
  log "starting kafka.Kafka in the background (heap ${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}; logs in $LOGS)"
  local heap
  read -r -a heap <<<"${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
  rm -f "$PIDFILE" "$LOGS/server.log"
  # setsid: own session, so a Ctrl-C in the calling terminal does not reach the broker (stop does
  # it cleanly). The launcher records its own PID, then execs java: the PID file holds java's PID.
  # shellcheck disable=SC2016 # $$, $1 and $@ belong to the launcher shell
  setsid bash -c 'echo "$$" >"$1"; shift; exec "$@"' kafka-launch "$PIDFILE" \
    java "${heap[@]}" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true "${LOGOPTS[@]}" -cp "$LIBS/*" \
    kafka.Kafka "$PROPS" </dev/null >"$LOGS/stdout.log" 2>&1 9>&- &
  local tries=50
  while [[ ! -s "$PIDFILE" ]] && ((tries-- > 0)); do sleep 0.1; done
  [[ -s "$PIDFILE" ]] || die "the broker process did not start (no PID in $PIDFILE after 5 s); see $LOGS/stdout.log"
  pid="$(cat "$PIDFILE")"
  log "broker process started, pid $pid"
  wait_ready "$pid" "$t0"
  log "total start time $(since "$t_all"); use: export KAFKA_BROKERS=127.0.0.1:$PORT"
}

# SIGTERM, wait up to STOP_TIMEOUT s, then SIGKILL. Only ever the given PID.
stop_pid() {
  local pid="$1" t0 deadline
  t0="$(now_ms)"
  deadline=$((SECONDS + STOP_TIMEOUT))
  printf '[kafka] stopping broker pid %s (SIGTERM, up to %s s): ' "$pid" "$STOP_TIMEOUT"
  kill -TERM "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
    printf '.'
    sleep 0.5
  done
  if kill -0 "$pid" 2>/dev/null; then
    printf ' still running, SIGKILL'
    kill -KILL "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  fi
  printf ' stopped (%s)\n' "$(since "$t0")"
}

cmd_stop() {
  local pid
  if [[ ! -d "$KDIR" ]]; then
    log "no broker state in $KDIR; nothing to stop"
    return 0
  fi
  lock
  pid="$(broker_pid)"
  if [[ -z "$pid" ]]; then
    if [[ -f "$PIDFILE" ]]; then
      log "no broker running (stale pid file $PIDFILE removed)"
      rm -f "$PIDFILE"
    else
      log "no broker started from $KDIR is running; nothing to stop"
    fi
    return 0
  fi
  stop_pid "$pid"
  rm -f "$PIDFILE"
}

cmd_status() {
  local pid owner
  pid="$(broker_pid)"
  if [[ -z "$pid" ]]; then
    if port_open "$PORT"; then
      owner="$(port_owner "$PORT")"
      log "no broker from $KDIR, but 127.0.0.1:$PORT is held by another process${owner:+ ($owner)}"
    else
      log "not running (state dir $KDIR)"
    fi
    return 1
  fi
  if port_open "$PORT"; then
    log "running: pid $pid, answering on 127.0.0.1:$PORT, Kafka $(kafka_version), state $KDIR"
    return 0
  fi
  log "pid $pid is running but 127.0.0.1:$PORT does not answer (starting, or stuck: scripts/kafka.sh logs)"
  return 2
}

cmd_logs() {
  if [[ "${1:-}" == "-f" ]]; then
    [[ -f "$LOGS/server.log" ]] || die "no $LOGS/server.log yet: start the broker first"
    exec tail -n 50 -F "$LOGS/server.log"
  fi
  [[ -d "$LOGS" ]] || die "no logs in $LOGS: the broker was never started with this state dir"
  show_logs "${KAFKA_LOG_LINES:-100}"
}

case "${1:-}" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  logs) cmd_logs "${2:-}" ;;
  -h | --help | help) usage ;;
  *)
    usage >&2
    die "unknown command '${1:-}': use start, stop, status or logs"
    ;;
esac
