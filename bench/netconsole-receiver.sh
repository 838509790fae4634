#!/usr/bin/env bash
# Benchmark of the netconsole receiver: bursts of datagrams sent on loopback as
# fast as a small C sender can (sendmmsg), received by `rig listen` (through the
# rig launcher, as a user starts it), by `socat UDP-RECV | tee -a` (the way
# netconsole is commonly captured) and by a plain C recvmmsg receiver (the
# reference of what a native program keeps). Prints, for each receiver and
# burst, the datagrams sent, the lines on disk, the share kept, the datagrams
# the kernel dropped on the receiver's socket, the receiver's rate (lines on
# disk over the time from the first datagram sent until the file stopped
# growing) and the sender's rate.
#
# Cold: a fresh receiver for each burst, the first datagram right after it
# listens (a doctor started just before the board crashes). Warm: one receiver
# for all bursts in turn. Hostile: a fresh receiver takes 20,000 good lines
# mixed with as many hostile datagrams from the same sender (random bytes,
# invalid UTF-8, 65,507-byte datagrams, lying and never-completed fragments);
# prints the good lines kept and rig's peak memory (VmHWM).
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
gcc -O2 -Wall -o "$work/udp-hostile" "$home/bench/udp-hostile.c"
# The launcher builds rig.jar when it is missing or older than the sources.
"$home/rig" --version >/dev/null

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

# The kernel's drop count of the socket on the port (the last column of /proc/net/udp{,6}).
socket_drops() {
  awk -v port="$(printf ':%04X' "$port")" '$2 ~ port"$" { drops += $NF } END { print drops + 0 }' \
    /proc/net/udp /proc/net/udp6
}

# Each receiver runs in a session of its own, as it would in its own terminal or
# as a service, apart from the sender that stands for the patient. (With the
# kernel's autogroup scheduling, a session shares one slice of CPU among its
# processes: a receiver in the sender's session would compete with the sender.)
start_receiver() {
  setsid "$@" &
  receiver_pid=$!
}

# Stops the receiver's whole session (its process group) with SIGTERM; says how long it took.
stop_receiver() {
  local start
  start=$(date +%s%N)
  kill -TERM -- "-$receiver_pid" 2>/dev/null || true
  wait "$receiver_pid" 2>/dev/null || true
  receiver_pid=
  stop_took=$(awk -v ns="$(( $(date +%s%N) - start ))" 'BEGIN { printf("%.2f", ns / 1e9) }')
}

# Waits until the file exists and has not grown for a second: the receiver has caught up.
await_settled() {
  local size=-1 now
  while true; do
    now=$(stat -c %s "$1" 2>/dev/null || echo 0)
    [ "$now" != 0 ] && [ "$now" = "$size" ] && return 0
    size=$now
    sleep 1
  done
}

# rig's peak resident memory so far, in MiB.
peak_rss() { awk '/^VmHWM:/ { printf("%.0f MiB", $2 / 1024) }' "/proc/$receiver_pid/status"; }

results=()
# One burst into a receiver that listens; its line of the table.
burst() {
  local name=$1 file=$2 count=$3 first=$4 before after sender_out sender_rate on_disk_after kept rate drops_before
  before=$(lines_in "$file")
  drops_before=$(socket_drops)
  # The sender sends, then watches the file until it stops growing (no fixed sleep).
  sender_out=$("$work/udp-burst" 127.0.0.1 "$port" "$count" "$first" "$file")
  after=$(lines_in "$file")
  kept=$((after - before))
  sender_rate=$(sed -nE 's/^sent .*: ([0-9]+) datagrams\/s$/\1/p' <<<"$sender_out")
  on_disk_after=$(sed -nE 's/^file stopped growing ([0-9.]+) s after.*/\1/p' <<<"$sender_out")
  rate=$(awk -v n="$kept" -v d="$on_disk_after" 'BEGIN { printf("%.0f", (d > 0 ? n / d : 0)) }')
  results+=("$(printf '%-17s %10d %10d %7.1f%% %9d %14s %14s' "$name" "$count" "$kept" \
    "$(awk -v k="$kept" -v c="$count" 'BEGIN { print 100 * k / c }')" "$(( $(socket_drops) - drops_before ))" \
    "$rate/s" "$sender_rate/s")")
}

# Warm: one receiver, every burst in turn.
run_receiver() {
  local name=$1 file=$2 first=0
  wait_bound
  for count in "${counts[@]}"; do
    burst "$name" "$file" "$count" "$first"
    first=$((first + count))
  done
}

rig_listen() {
  mkdir -p "$1"
  # Its terminal output thrown away like tee's.
  start_receiver "$home/rig" listen --port "$port" --dir "$1" >/dev/null 2>"$1/stderr"
}

echo "bench: $(nproc) CPUs, net.core.rmem_max=$(cat /proc/sys/net/core/rmem_max), load:$(uptime | sed 's/.*load average://')"

# rig listen, cold: a fresh one for each burst.
stops=()
for count in "${counts[@]}"; do
  rig_listen "$work/rig-cold-$count"
  wait_bound
  burst "rig listen cold" "$work/rig-cold-$count/netconsole-127.0.0.1.log" "$count" 0
  stop_receiver
  stops+=("$stop_took s")
done

# rig listen, warm: one for all bursts.
rig_listen "$work/rig"
run_receiver "rig listen warm" "$work/rig/netconsole-127.0.0.1.log"
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

# Hostile traffic into a fresh rig listen, then into the C receiver.
hostile=()
rig_listen "$work/rig-hostile"
wait_bound
sent=$("$work/udp-hostile" 127.0.0.1 "$port" 20000)
await_settled "$work/rig-hostile/netconsole-127.0.0.1.log"
rss=$(peak_rss)
drops=$(socket_drops)
stop_receiver
hostile+=("$(printf '%-17s %6d/20000 good lines kept, %6d lost in the kernel, peak RSS %s, stopped %s s after SIGTERM' \
  "rig listen" "$(grep -c hostile-good "$work/rig-hostile/netconsole-127.0.0.1.log")" "$drops" "$rss" "$stop_took")")
mkdir -p "$work/c-hostile"
start_receiver "$work/udp-recvmmsg" "$port" "$work/c-hostile/netconsole.txt"
wait_bound
"$work/udp-hostile" 127.0.0.1 "$port" 20000 >/dev/null
await_settled "$work/c-hostile/netconsole.txt"
drops=$(socket_drops)
stop_receiver
hostile+=("$(printf '%-17s %6d/20000 good lines kept, %6d lost in the kernel' \
  "C recvmmsg" "$(grep -a -c hostile-good "$work/c-hostile/netconsole.txt")" "$drops")")

echo
printf '%-17s %10s %10s %8s %9s %14s %14s\n' receiver sent "on disk" kept "kernel" "receiver rate" "sender rate"
printf '%s\n' "${results[@]}"
echo
echo "rig listen cold stopped on SIGTERM after: ${stops[*]}"
echo "rig listen warm, its own count:"
sed -n '/stopped;/,$p' "$work/rig/stderr" | sed 's/^/  /'
echo
echo "hostile: $sent"
printf '  %s\n' "${hostile[@]}"
echo "rig listen hostile, its own count:"
sed -n '/stopped;/,$p' "$work/rig-hostile/stderr" | sed 's/^/  /'
echo "load after:$(uptime | sed 's/.*load average://')"
