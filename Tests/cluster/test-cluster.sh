#!/usr/bin/env bash
# `make test-cluster`: a real single-node Slurm (Debian's slurmctld, slurmd, munge; no systemd, no
# cgroups, no accounting; state, spool and logs under a temporary directory), the quick profile of
# two readings submitted as job arrays through `<reading> slurm --submit --wait`, then checks that
# the merged results verify and are identical (all datasets and attributes but /meta times) to a
# local run of the same points. Stops every daemon it started, by PID. Needs root (it installs the
# packages if missing and starts the daemons); BIN is the release bin directory, PY a Python with h5py.
set -euo pipefail
cd "$(dirname "$0")/../.."
BIN=${BIN:?set BIN to the release bin directory}
PY=${PY:-.venv/bin/python}
READINGS=${CLUSTER_READINGS:-}

if [ "$(id -u)" != 0 ]; then
  echo "test-cluster: needs root (installs Slurm and starts its daemons); skipped" >&2
  exit 1
fi
missing=""
for p in slurmctld slurmd slurm-client munge; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  echo "test-cluster: installing$missing"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
fi

if [ -z "$READINGS" ]; then
  # The first two readings whose executables are built (a reading not built yet has an empty grid).
  for r in random-labels noise-scale minimum-norm gradient-regularization sgd-regularizer; do
    if ! "$BIN/$r" plan --profile quick 2>/dev/null | grep -q "not built"; then READINGS="$READINGS $r"; fi
    [ "$(wc -w <<<"$READINGS")" -ge 2 ] && break
  done
fi
echo "test-cluster: readings:$READINGS"

WORK=$(mktemp -d /tmp/implicit-reg-slurm.XXXXXX)
PIDS=()
cleanup() {
  status=$?
  for pidfile in "$WORK/slurmd.pid" "$WORK/slurmctld.pid" "$WORK/munge/munged.pid"; do
    if [ -s "$pidfile" ]; then kill "$(cat "$pidfile")" 2>/dev/null || true; fi
  done
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  if [ $status -ne 0 ]; then
    echo "test-cluster: FAILED; daemon logs:" >&2
    for f in "$WORK"/*.log "$WORK"/munge/*.log; do [ -f "$f" ] && { echo "== $f" >&2; tail -n 30 "$f" >&2; }; done
  fi
  rm -rf "$WORK"
  exit $status
}
trap cleanup EXIT

# munge: a key if the package did not make one, its run directory, the daemon as the munge user.
if [ ! -s /etc/munge/munge.key ]; then
  dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key status=none
  chown munge:munge /etc/munge/munge.key && chmod 400 /etc/munge/munge.key
fi
mkdir -p /run/munge /var/log/munge /var/lib/munge && chown munge:munge /run/munge /var/log/munge /var/lib/munge
chmod 755 /run/munge
chmod 755 "$WORK"
mkdir -p "$WORK/munge" && chown munge:munge "$WORK/munge"
SOCKET="$WORK/munge/munge.socket"
runuser -u munge -- /usr/sbin/munged --socket="$SOCKET" --pid-file="$WORK/munge/munged.pid" \
  --log-file="$WORK/munge/munged.log" --seed-file="$WORK/munge/munged.seed" --force
for _ in $(seq 50); do [ -S "$SOCKET" ] && break; sleep 0.1; done
[ -S "$SOCKET" ] || { echo "munged did not start" >&2; exit 1; }

NODE=$(slurmd -C | head -n 1 | sed -e 's/^NodeName=[^ ]*/NodeName=localhost/')
mkdir -p "$WORK/state" "$WORK/spool"
cat >"$WORK/slurm.conf" <<EOF
ClusterName=implicitreg
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$SOCKET
CredType=cred/munge
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd.log
SlurmctldPort=16817
SlurmdPort=16818
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
ReturnToService=2
MaxArraySize=10000
$NODE State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$WORK/slurm.conf"
slurmctld -i
slurmd -N localhost
for _ in $(seq 100); do sinfo -h -o %t 2>/dev/null | grep -qE '^(idle|mix|alloc)' && break; sleep 0.2; done
sinfo -h -o "%P %t %D %c" || { echo "slurmctld not answering" >&2; exit 1; }

status=0
for r in $READINGS; do
  echo "test-cluster: $r quick profile as a Slurm job array"
  if ! "$BIN/$r" slurm --profile quick --out "$WORK/slurm-$r" --submit --wait; then
    echo "test-cluster: $r: a job failed; task logs:" >&2
    for f in "$WORK/slurm-$r"/slurm/logs/*.log; do echo "== $f" >&2; tail -n 40 "$f" >&2; done
    status=1
    continue
  fi
  "$BIN/$r" verify --results "$WORK/slurm-$r" --profile quick >/dev/null || { echo "test-cluster: $r: claims fail on the Slurm results" >&2; status=1; }
  echo "test-cluster: $r quick profile locally, for comparison"
  "$BIN/$r" run --profile quick --out "$WORK/local-$r" --quiet
  "$PY" Tests/cluster/compare_results.py "$WORK/slurm-$r" "$WORK/local-$r" || { echo "test-cluster: $r: Slurm and local results differ" >&2; status=1; }
done
[ $status = 0 ] && echo "test-cluster: passed"
exit $status
