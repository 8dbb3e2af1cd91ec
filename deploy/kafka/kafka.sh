#!/usr/bin/env bash
# A real Apache Kafka broker for development and tests: single node, KRaft (broker + controller
# in one JVM), from Apache Kafka's own jars fetched from Maven Central. No Docker, no download
# other than Maven's.
#
#   deploy/kafka/kafka.sh fetch                       jars into deploy/kafka/.cache/libs (once)
#   deploy/kafka/kafka.sh start [--port P] [--dir D]  start; prints KAFKA_BROKERS=127.0.0.1:P
#   deploy/kafka/kafka.sh stop  [--dir D] [--kill]    stop (SIGTERM, or SIGKILL with --kill)
#   deploy/kafka/kafka.sh status [--dir D]            prints KAFKA_BROKERS=... when running
#
# start options: --port P (default: the port this dir used last, else a free one),
#   --controller-port C (default: likewise), --dir D (default deploy/kafka/.cache/run: config,
#   data, logs and the pid file live there; a restart on the same dir keeps port and data),
#   --watch-pid PID (stop the broker when that process exits; used by the test support),
#   --timeout S (seconds to wait for the broker to be ready; default 120).
# Environment: KAFKA_HEAP_OPTS (default -Xmx512m -Xms256m), KAFKA_JVM_OPTS (extra JVM flags),
#   KAFKA_MVN_ARGS (extra Maven flags for fetch, e.g. "-s mirror-settings.xml").
# Only the KAFKA_BROKERS line goes to stdout; everything else goes to stderr.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
CACHE="$HERE/.cache"
LIBS="$CACHE/libs"
STAMP="$LIBS/.fetched"
DEFAULT_DIR="$CACHE/run"

say () { echo "kafka.sh: $*" >&2; }
die () { say "error: $*"; exit 1; }

need_java () {
  command -v java >/dev/null 2>&1 || die "java not found: install a JDK or JRE 17 or newer (Debian: apt-get install openjdk-17-jre-headless)"
  local v major
  v="$(java -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')"
  major="${v%%.*}"
  [[ "$major" == "1" ]] && major="$(echo "$v" | cut -d. -f2)"
  [[ "$major" =~ ^[0-9]+$ ]] || die "cannot read the Java version from 'java -version' (got '$v')"
  (( major >= 17 )) || die "Kafka $(kafka_version) needs Java 17 or newer; 'java -version' says $v"
}

need_mvn () {
  command -v mvn >/dev/null 2>&1 || die "mvn not found: install Apache Maven (Debian: apt-get install maven)"
  mvn -v >/dev/null 2>&1 || die "'mvn -v' failed"
}

kafka_version () { sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml"; }
pom_sum () { sha256sum "$HERE/pom.xml" | cut -d' ' -f1; }
fetched () { [[ -f "$STAMP" && "$(cat "$STAMP")" == "$(pom_sum)" ]]; }

cmd_fetch () {
  need_java
  if fetched; then say "Kafka $(kafka_version) jars already in $LIBS"; return 0; fi
  need_mvn
  say "fetching Apache Kafka $(kafka_version) jars from Maven Central into $LIBS"
  local tmp="$LIBS.tmp.$$"
  rm -rf "$tmp"
  # -B: no colours or progress bars; output goes to stderr so stdout stays clean
  # shellcheck disable=SC2086 # KAFKA_MVN_ARGS is a list of Maven flags (e.g. -s settings.xml for a mirror)
  if ! mvn -q -B -Dstyle.color=never ${KAFKA_MVN_ARGS:-} -f "$HERE/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >&2; then
    rm -rf "$tmp"; die "mvn could not fetch the Kafka jars (is Maven Central reachable?)"
  fi
  ls "$tmp"/kafka_2.13-*.jar >/dev/null 2>&1 || { rm -rf "$tmp"; die "mvn ran but kafka_2.13 is not among the jars"; }
  rm -rf "$LIBS"
  mv "$tmp" "$LIBS"
  pom_sum > "$STAMP"
  say "fetched $(ls "$LIBS"/*.jar | wc -l) jars"
}

# true when something accepts TCP connections on 127.0.0.1:$1
port_open () { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

pick_port () {
  local avoid="${1:-0}" p i
  for i in $(seq 1 500); do
    p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 40000 ))
    [[ "$p" == "$avoid" ]] && continue
    port_open "$p" || { echo "$p"; return 0; }
  done
  die "no free port found"
}

# pid of the broker in dir $1 if it runs, else nothing
broker_pid () {
  local f="$1/kafka.pid" pid
  [[ -f "$f" ]] || return 0
  pid="$(cat "$f")"
  [[ -n "$pid" && -r "/proc/$pid/cmdline" ]] || return 0
  tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q 'kafka\.Kafka' && echo "$pid"
  return 0
}

write_config () {
  local dir="$1" port="$2" cport="$3"
  cat > "$dir/server.properties" <<EOF
# written by deploy/kafka/kafka.sh: one node, broker and KRaft controller in one process
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
# one node: every internal topic has one replica, and one in-sync replica is enough
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
offsets.topic.num.partitions=12
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=6
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# rigstream creates its own topics (rs.frames.v1, ...); a typo must not create one
auto.create.topics.enable=false
num.partitions=6
group.initial.rebalance.delay.ms=0
# after a kill -9 the controller waits for the old broker session to expire before the restarted
# broker may register: keep that short (default 9 s) so fault tests restart quickly
broker.heartbeat.interval.ms=500
broker.session.timeout.ms=3000
# a dev broker: keep a day or 1 GiB per partition, whichever comes first
log.retention.hours=24
log.retention.bytes=1073741824
log.segment.bytes=134217728
num.network.threads=2
num.io.threads=4
EOF
}

cmd_start () {
  local dir="$DEFAULT_DIR" port="" cport="" watch="" timeout=120
  while (( $# )); do
    case "$1" in
      --port) port="${2:?--port needs a value}"; shift 2 ;;
      --controller-port) cport="${2:?--controller-port needs a value}"; shift 2 ;;
      --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
      --watch-pid) watch="${2:?--watch-pid needs a value}"; shift 2 ;;
      --timeout) timeout="${2:?--timeout needs a value}"; shift 2 ;;
      *) die "start: unknown option $1" ;;
    esac
  done
  [[ -z "$port" || "$port" =~ ^[0-9]+$ ]] || die "--port must be a number, got '$port'"
  cmd_fetch
  mkdir -p "$dir/data"
  dir="$(cd "$dir" && pwd)"

  local running; running="$(broker_pid "$dir")"
  if [[ -n "$running" ]]; then
    say "already running (pid $running) in $dir"
    echo "KAFKA_BROKERS=127.0.0.1:$(cat "$dir/port")"
    return 0
  fi

  # a restart on the same dir keeps its addresses unless told otherwise
  [[ -z "$port" && -f "$dir/port" ]] && port="$(cat "$dir/port")"
  [[ -z "$cport" && -f "$dir/controller.port" ]] && cport="$(cat "$dir/controller.port")"
  [[ -n "$port" ]] || port="$(pick_port)"
  [[ -n "$cport" && "$cport" != "$port" ]] || cport="$(pick_port "$port")"
  port_open "$port" && die "port $port is already in use"
  port_open "$cport" && die "controller port $cport is already in use"
  echo "$port" > "$dir/port"
  echo "$cport" > "$dir/controller.port"
  write_config "$dir" "$port" "$cport"

  local cp="$LIBS/*"
  local log4j="-Dlog4j2.configurationFile=$HERE/log4j2.properties"
  if [[ ! -f "$dir/data/meta.properties" ]]; then
    # a cluster id is 16 random bytes in URL-safe base64 without padding (Kafka's Uuid)
    # (drawn again while it starts with '-': kafka-storage would read it as an option, 1 in 64)
    local cluster; cluster="-"
    while [[ "$cluster" == -* ]]; do cluster="$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')"; done
    say "formatting $dir/data (cluster $cluster)"
    java -Xmx256m -cp "$cp" "$log4j" kafka.tools.StorageTool format \
      -t "$cluster" -c "$dir/server.properties" >> "$dir/kafka.log" 2>&1 \
      || { tail -n 20 "$dir/kafka.log" >&2; die "formatting the storage failed"; }
  fi

  [[ -f "$dir/kafka.log" ]] && mv -f "$dir/kafka.log" "$dir/kafka.log.prev"
  local heap="${KAFKA_HEAP_OPTS:--Xmx512m -Xms256m}"
  # shellcheck disable=SC2086 # the option strings are meant to split into flags
  setsid nohup java $heap -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    -Djava.awt.headless=true "$log4j" ${KAFKA_JVM_OPTS:-} \
    -cp "$cp" kafka.Kafka "$dir/server.properties" \
    </dev/null >> "$dir/kafka.log" 2>&1 &
  local pid=$!
  echo "$pid" > "$dir/kafka.pid"
  say "started pid $pid on 127.0.0.1:$port (controller $cport), log $dir/kafka.log"

  if [[ -n "$watch" ]]; then
    # stops the broker when the watched process (a test run) goes away without stopping it
    setsid nohup bash -c "while kill -0 $watch 2>/dev/null && kill -0 $pid 2>/dev/null; do sleep 1; done; kill -TERM $pid 2>/dev/null; sleep 20; kill -KILL $pid 2>/dev/null" \
      </dev/null >/dev/null 2>&1 &
    echo "$!" > "$dir/watchdog.pid"
  fi

  local deadline=$(( SECONDS + timeout ))
  until grep -q 'Kafka Server started' "$dir/kafka.log" 2>/dev/null && port_open "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$dir/kafka.log" >&2; rm -f "$dir/kafka.pid"; die "the broker exited during start"
    fi
    if (( SECONDS >= deadline )); then
      tail -n 30 "$dir/kafka.log" >&2; kill -KILL "$pid" 2>/dev/null || true
      rm -f "$dir/kafka.pid"; die "the broker was not ready within ${timeout}s"
    fi
    sleep 0.2
  done
  say "ready"
  echo "KAFKA_BROKERS=127.0.0.1:$port"
}

cmd_stop () {
  local dir="$DEFAULT_DIR" sig=TERM
  while (( $# )); do
    case "$1" in
      --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
      --kill) sig=KILL; shift ;;
      *) die "stop: unknown option $1" ;;
    esac
  done
  if [[ -f "$dir/watchdog.pid" ]]; then kill "$(cat "$dir/watchdog.pid")" 2>/dev/null || true; rm -f "$dir/watchdog.pid"; fi
  local pid; pid="$(broker_pid "$dir")"
  if [[ -z "$pid" ]]; then say "not running ($dir)"; rm -f "$dir/kafka.pid"; return 0; fi
  kill "-$sig" "$pid"
  local deadline=$(( SECONDS + 30 ))
  while kill -0 "$pid" 2>/dev/null; do
    if (( SECONDS >= deadline )); then say "pid $pid did not stop in 30s, killing it"; kill -KILL "$pid" 2>/dev/null || true; fi
    sleep 0.1
  done
  rm -f "$dir/kafka.pid"
  say "stopped pid $pid ($sig)"
}

cmd_status () {
  local dir="$DEFAULT_DIR"
  [[ "${1:-}" == "--dir" ]] && dir="${2:?--dir needs a value}"
  local pid; pid="$(broker_pid "$dir")"
  [[ -n "$pid" ]] || { say "not running ($dir)"; return 1; }
  say "running, pid $pid"
  echo "KAFKA_BROKERS=127.0.0.1:$(cat "$dir/port")"
}

case "${1:-}" in
  fetch) shift; cmd_fetch "$@" ;;
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  status) shift; cmd_status "$@" ;;
  *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2 ;;
esac
