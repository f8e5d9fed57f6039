#!/usr/bin/env bash
# The main job: a local cluster and a short load run. Filled in by the client/load-test issue; until
# then this says what it will do and exits non-zero, so nobody mistakes it for a working demo.
cat >&2 <<'TEXT'
scripts/demo.sh is not implemented yet. When it is, it will:
  1. install ZooKeeper and Redis if missing (apt-get), build the solution;
  2. generate a dev certificate, a token key and a cluster key under .run/demo;
  3. start ZooKeeper, Redis, 3 chat shards and 2 gateways on loopback;
  4. run the `chat` scenario with 1,000 couples for 30 s, then `scale-out` briefly;
  5. print the summary and the report path, and stop everything it started (also on Ctrl-C).
TEXT
exit 1
