#!/usr/bin/env bash
# A throw-away single-node Kafka 3.9.1 (KRaft, broker + controller in one JVM)
# for development and the integration suites, without Docker or a tarball:
#   start   fetches the broker jars with Maven into lib/ when missing, writes
#           run/server.properties from the template, formats a fresh data dir,
#           starts the broker in the background and waits until it answers a
#           metadata request. Any previous instance is stopped first and its
#           data is discarded.
#   stop    SIGTERM, wait for a clean shutdown, SIGKILL after a grace period.
#   status  says whether it runs and where; exit code 0 only if it does.
# Environment (all optional):
#   BATON_KAFKA_PORT (9092), BATON_KAFKA_CONTROLLER_PORT (9093),
#   BATON_KAFKA_RUN_DIR (deploy/kafka/run), BATON_KAFKA_HEAP (512m),
#   BATON_KAFKA_START_TIMEOUT seconds (60).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
port=${BATON_KAFKA_PORT:-9092}
controller_port=${BATON_KAFKA_CONTROLLER_PORT:-9093}
run=${BATON_KAFKA_RUN_DIR:-$here/run}
heap=${BATON_KAFKA_HEAP:-512m}
timeout=${BATON_KAFKA_START_TIMEOUT:-60}
lib=$here/lib
pid_file=$run/kafka.pid
log_dir=$run/logs

say() { echo "kafka.sh: $*" >&2; }

running_pid() {
  [ -f "$pid_file" ] || return 1
  local pid; pid=$(cat "$pid_file")
  kill -0 "$pid" 2>/dev/null && echo "$pid"
}

fetch_jars() {
  # The marker is written last, so an interrupted download is retried.
  [ -f "$lib/.complete" ] && return
  command -v mvn >/dev/null || { say "Maven (mvn) is needed to fetch the Kafka jars"; exit 1; }
  say "fetching Kafka jars into $lib (once)"
  (cd "$here" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies) || { say "mvn failed"; exit 1; }
  ls "$lib"/kafka_2.13-*.jar >/dev/null 2>&1 || { say "mvn ran but lib/ has no Kafka jar"; exit 1; }
  touch "$lib/.complete"
}

java_cmd=(java -Xms128m "-Xmx$heap" -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
  "-Dkafka.logs.dir=$log_dir" "-Dlog4j.configuration=file:$here/log4j.properties" -cp "$lib/*")

last_log_lines() {
  say "last log lines:"
  tail -n 40 "$log_dir/server.log" 2>/dev/null >&2 || true
  tail -n 20 "$run/kafka.out" 2>/dev/null >&2 || true
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

# The port opens before the broker has registered with the controller; a
# metadata request that lists this broker proves it serves clients.
broker_answers() {
  [ -d "$repo/node_modules/kafkajs" ] || return 0
  (cd "$repo" && node -e '
    const { Kafka, logLevel } = require("kafkajs");
    const admin = new Kafka({ brokers: [process.argv[1]], logLevel: logLevel.NOTHING,
      connectionTimeout: 1000, retry: { retries: 0 } }).admin();
    admin.connect().then(() => admin.describeCluster())
      .then((c) => process.exit(c.brokers.length > 0 ? 0 : 1), () => process.exit(1));
  ' "127.0.0.1:$port") >/dev/null 2>&1
}

start() {
  fetch_jars
  stop >/dev/null 2>&1 || true
  if port_open; then say "127.0.0.1:$port is already in use by another process"; exit 1; fi
  rm -rf "$run"
  mkdir -p "$run/data" "$log_dir"
  sed -e "s|@PORT@|$port|g" -e "s|@CONTROLLER_PORT@|$controller_port|g" -e "s|@DATA_DIR@|$run/data|g" \
    "$here/server.properties" >"$run/server.properties"
  command -v java >/dev/null || { say "java (17+) is needed"; exit 1; }
  local cluster_id
  cluster_id=$("${java_cmd[@]}" kafka.tools.StorageTool random-uuid 2>"$run/format.log") &&
    "${java_cmd[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$run/server.properties" \
      >>"$run/format.log" 2>&1 ||
    { say "formatting storage failed:"; cat "$run/format.log" >&2; exit 1; }
  nohup "${java_cmd[@]}" kafka.Kafka "$run/server.properties" >"$run/kafka.out" 2>&1 </dev/null &
  echo $! >"$pid_file"
  local deadline=$(($(date +%s) + timeout))
  until port_open && broker_answers; do
    if ! running_pid >/dev/null; then say "the broker exited during start-up"; last_log_lines; exit 1; fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      say "the broker did not answer on 127.0.0.1:$port within ${timeout}s"; last_log_lines; stop || true; exit 1
    fi
    sleep 0.5
  done
  say "Kafka 3.9.1 (KRaft) on 127.0.0.1:$port, pid $(cat "$pid_file"), logs in $log_dir"
}

stop() {
  local pid; pid=$(running_pid) || { rm -f "$pid_file"; return 0; }
  kill -TERM "$pid"
  for _ in $(seq 1 60); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$pid_file"; say "stopped"; return 0; }
    sleep 0.5
  done
  say "no clean shutdown within 30s; killing pid $pid"
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$pid_file"
}

status() {
  local pid
  if pid=$(running_pid); then
    echo "kafka.sh: running, pid $pid, 127.0.0.1:$port"
  else
    echo "kafka.sh: not running"
    return 1
  fi
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
