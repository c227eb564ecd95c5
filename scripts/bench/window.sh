# window.sh is sourced by the window benchmarks (startup.sh, memory.sh): it
# starts a private Xvfb display, and makes $work/w.db, a workspace of 10,000
# clients imported by the binary under test ($bin). $work is removed on exit.
work=$(mktemp -d /tmp/roundtable-bench.XXXXXX)
display=:$((80 + RANDOM % 19))
Xvfb "$display" -screen 0 1280x800x24 >/dev/null 2>&1 &
xvfb=$!
trap 'kill $xvfb 2>/dev/null; rm -rf "$work"' EXIT
export DISPLAY=$display ROUNDTABLE_KEYRING=off

python3 - "$work/clients.csv" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("Name,Email,Tags\n")
    for i in range(10000):
        f.write(f"Client {i:05d},client{i:05d}@example.com,\"tag{i%7}, spring\"\n")
PY
"$bin" --workspace "$work/w.db" clients import "$work/clients.csv" >/dev/null
