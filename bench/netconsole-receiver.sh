#!/usr/bin/env bash
# Benchmark of the netconsole receiver: bursts of datagrams sent on loopback as
# fast as a small C sender can (sendmmsg), received by `rig listen`, by
# `socat UDP-RECV | tee -a` (the way netconsole is commonly captured) and by a
# plain C recvmmsg receiver (the reference of what a native program keeps). Prints,
# for each receiver and burst, the datagrams sent, the lines on disk, the share
# kept, the receiver's rate (lines on disk over the time from the first datagram
# sent until the file stopped growing) and the sender's rate.
#
#   bench/netconsole-receiver.sh [COUNT...]      (default: 10000 100000 1000000)
#
# Needs gcc and socat (apt-get install gcc socat), Java 17 and Maven to build rig.
# Environment: PORT (default 16666), RIG_BENCH_KEEP=1 keeps the work folder.
set -euo pipefail

home=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
counts=("$@")
[ ${#counts[@]} -gt 0 ] || counts=(10000 100000 1000000)
port=${PORT:-16666}

for tool in gcc socat java; do
  command -v "$tool" >/dev/null || { echo "bench: $tool is missing: apt-get install $tool" >&2; exit 125; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/rig-bench.XXXXXX")
receiver_pid=
cleanup() {
  [ -z "$receiver_pid" ] || kill -TERM -- "-$receiver_pid" 2>/dev/null || true
  [ "${RIG_BENCH_KEEP:-}" = 1 ] && echo "bench: work folder kept: $work" || rm -rf "$work"
}
trap cleanup EXIT

# The sender is built for this run only, never kept in the repository.
gcc -O2 -Wall -o "$work/udp-burst" "$home/bench/udp-burst.c"
gcc -O2 -Wall -o "$work/udp-recvmmsg" "$home/bench/udp-recvmmsg.c"
# The launcher builds rig.jar when it is missing or older than the sources.
"$home/rig" --version >/dev/null
jar="$home/rig-controller/target/rig.jar"

# Waits until the UDP port is bound (rig or socat is ready).
wait_bound() {
  local hex
  hex=$(printf ':%04X ' "$port")
  for _ in $(seq 1 300); do
    if grep -q "$hex" /proc/net/udp /proc/net/udp6 2>/dev/null; then return 0; fi
    sleep 0.05
  done
  echo "bench: nothing listens on UDP port $port" >&2
  exit 125
}

lines_in() { grep -c 'udp-burst:' "$1" 2>/dev/null || true; }

# Each receiver runs in a session of its own, as it would in its own terminal or
# as a service, apart from the sender that stands for the patient. (With the
# kernel's autogroup scheduling, a session shares one slice of CPU among its
# processes: a receiver in the sender's session would compete with the sender.)
start_receiver() {
  setsid "$@" &
  receiver_pid=$!
}

# Stops the receiver's whole session (its process group) with SIGTERM.
stop_receiver() {
  kill -TERM -- "-$receiver_pid" 2>/dev/null || true
  wait "$receiver_pid" 2>/dev/null || true
  receiver_pid=
}

results=()
run_receiver() {
  local name=$1 file=$2 first=0 before after sender_out sender_rate on_disk_after kept rate
  wait_bound
  for count in "${counts[@]}"; do
    before=$(lines_in "$file")
    # The sender sends, then watches the file until it stops growing (no fixed sleep).
    sender_out=$("$work/udp-burst" 127.0.0.1 "$port" "$count" "$first" "$file")
    after=$(lines_in "$file")
    kept=$((after - before))
    sender_rate=$(sed -nE 's/^sent .*: ([0-9]+) datagrams\/s$/\1/p' <<<"$sender_out")
    on_disk_after=$(sed -nE 's/^file stopped growing ([0-9.]+) s after.*/\1/p' <<<"$sender_out")
    rate=$(awk -v n="$kept" -v d="$on_disk_after" 'BEGIN { printf("%.0f", (d > 0 ? n / d : 0)) }')
    results+=("$(printf '%-12s %10d %10d %7.1f%% %14s %14s' "$name" "$count" "$kept" \
      "$(awk -v k="$kept" -v c="$count" 'BEGIN { print 100 * k / c }')" "$rate/s" "$sender_rate/s")")
    first=$((first + count))
  done
}

echo "bench: $(nproc) CPUs, net.core.rmem_max=$(cat /proc/sys/net/core/rmem_max), load:$(uptime | sed 's/.*load average://')"

# rig listen, from the built jar, its terminal output thrown away like tee's.
mkdir -p "$work/rig"
start_receiver java -jar "$jar" listen --port "$port" --dir "$work/rig" >/dev/null 2>"$work/rig/stderr"
run_receiver "rig listen" "$work/rig/netconsole-127.0.0.1.log"
stop_receiver

# socat piped into tee -a, the usual capture.
mkdir -p "$work/socat"
start_receiver bash -c 'socat -u "UDP-RECV:$1" - | tee -a "$2" >/dev/null' socat-tee "$port" "$work/socat/netconsole.txt"
run_receiver "socat|tee" "$work/socat/netconsole.txt"
stop_receiver

# The C reference receiver.
mkdir -p "$work/c"
start_receiver "$work/udp-recvmmsg" "$port" "$work/c/netconsole.txt"
run_receiver "C recvmmsg" "$work/c/netconsole.txt"
stop_receiver

echo
printf '%-12s %10s %10s %8s %14s %14s\n' receiver sent "on disk" kept "receiver rate" "sender rate"
printf '%s\n' "${results[@]}"
echo
echo "rig's own count:"
sed -n '/stopped;/,$p' "$work/rig/stderr" | sed 's/^/  /'
echo "load after:$(uptime | sed 's/.*load average://')"
