# Shared by the demo scripts (sourced): lab/step helpers and a teardown trap
# that prints the daemons' last log lines when the demo failed.
# Needs TOPO and LAB set by the caller.
LAB_DIR=/run/routerd-evpn-lab/$LAB

lab() { npm run --silent lab -- "$@"; }
step() { printf '\n== %s\n' "$*"; }

demo_cleanup() {
  status=$?
  if [ "$status" -ne 0 ] && compgen -G "$LAB_DIR/*.log" >/dev/null; then
    for log in "$LAB_DIR"/*.log; do
      step "last lines of $log"
      tail -n 20 "$log" || true
    done
  fi
  step "tearing down"
  lab down "$TOPO" || true
  exit "$status"
}
trap demo_cleanup EXIT
