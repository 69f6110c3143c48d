#!/usr/bin/env bash
# merge-explore-reports.sh: merges the --report JSON files of `vmmsim explore --shard K/N` runs into
# one result (docs/scaling.md): schedules and outcomes summed, exhausted only if every shard was, and
# the failure of the lowest-numbered failing shard (so the merge does not depend on which shard
# finished first). Prints the merged JSON; exits with the merged exit code (0: no shard failed).
#   scripts/merge-explore-reports.sh shard-*.json
set -euo pipefail
if [ $# -eq 0 ]; then
  echo "usage: $0 REPORT.json..." >&2
  exit 2
fi
merged=$(jq -s '
  sort_by(.shard[0]) as $r
  | { scenario: $r[0].scenario,
      strategy: $r[0].strategy,
      shards: ($r | length),
      shards_expected: $r[0].shard[1],
      schedules: (map(.schedules) | add),
      runs: (map(.runs) | add),
      exhausted: (($r | length) == $r[0].shard[1] and all(.exhausted)),
      outcomes: (map(.outcomes | to_entries) | add | group_by(.key)
                 | map({key: .[0].key, value: (map(.value) | add)}) | from_entries),
      failure: (map(select(.failure != null) | .failure + {shard: .shard[0]}) | first),
      exit_code: (map(select(.failure != null)) | first | .exit_code // 0) }' "$@")
echo "$merged"
exit "$(jq -r '.exit_code' <<<"$merged")"
