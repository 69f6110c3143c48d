#!/bin/bash
# check_browser.sh BUILD OUT: `make check-browser` (issue 14): installs Debian's chromium if it is
# missing (apt-get, Debian's archive only), writes each example's timeline page, screenshots it
# headless and checks the screenshot in pixels (check_page.py). Screenshots stay in OUT for a look.
set -euo pipefail
BUILD=${1:-build}; OUT=${2:-$BUILD/browser}
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ]; then apt-get install -y --no-install-recommends chromium fonts-dejavu-core python3
  else sudo apt-get install -y --no-install-recommends chromium fonts-dejavu-core python3; fi
fi
mkdir -p "$OUT"
fail=0
# shoot NAME PAGE-SUFFIX [CHECK-MODE]: screenshot $OUT/NAME.html (with a #view suffix) and check it.
shoot() {
  local n=$1 view=$2 mode=${3:-} png=$OUT/$1${4:-}.png
  lanes=$(python3 -c "import json,sys;print(len(json.loads(open(sys.argv[1]).read().split('application/json\">')[1].split('</script>')[0])['threads']))" "$OUT/$n.html")
  height=$((260 + 70 * lanes))
  chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --force-device-scale-factor=1 \
    --window-size=1500,$height --screenshot="$png" "file://$PWD/$OUT/$n.html$view" >/dev/null 2>&1
  python3 tests/browser/check_page.py "$png" "$OUT/$n.jsonl" $mode || fail=1
}
for f in examples/*.lua examples/explore/*.lua; do
  n=$(basename "$f" .lua)
  "$BUILD/vmmsim" run "$f" --quiet --timeline "$OUT/$n.html" --trace "$OUT/$n.jsonl" >/dev/null || true
  shoot "$n" ""
done
# A long run (20,000 switches): fitted, its intervals merge into density bands; zoomed in to 120
# log records, they split back into single intervals.
"$BUILD/vmmsim" run tests/cli/timeline/many_switches.lua --quiet --timeline "$OUT/many_switches.html" \
  --trace "$OUT/many_switches.jsonl" >/dev/null
shoot many_switches "" --bands
shoot many_switches "#axis=steps&from=1000&to=1120" --separate-intervals _zoomed
exit $fail
