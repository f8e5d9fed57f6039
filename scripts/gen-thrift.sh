#!/usr/bin/env bash
# Regenerates the committed C# for every src/Protocol/*.thrift file with the Debian thrift compiler
# (thrift-compiler 0.17.0, `--gen netstd:net6`). Run it after editing a .thrift file and commit the
# result; tests/Protocol.Tests fails when the committed code differs from what this script writes.
#
# Where the code goes: each .thrift file declares `namespace netstd Chat.Protocol.<Area>` and its
# C# lands in src/Protocol/<Area>/Generated/ (dots in <Area> become folders). A folder named
# Generated is what .editorconfig's [**/Generated/**.cs] section matches, which silences analyzers on
# code we do not write. Every Generated folder of a .thrift file is emptied first, so types removed
# from the IDL disappear.
#
# Usage: scripts/gen-thrift.sh [--out ROOT]
#   --out ROOT   write under ROOT instead of the repository (ROOT/src/Protocol/<Area>/Generated);
#                the staleness test uses a temporary ROOT and compares.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
out_root="$repo"
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out) out_root="${2:?--out needs a folder}"; shift 2 ;;
    -h|--help) sed -n '2,16p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "gen-thrift.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done

# The generated text depends on the compiler version, so pin it: another version would make the
# staleness test fail for reasons unrelated to the IDL.
expected_version="0.17.0"
if ! command -v thrift >/dev/null 2>&1; then
  echo "gen-thrift.sh: the thrift compiler is missing; install it with: apt-get install thrift-compiler (${expected_version})" >&2
  exit 1
fi
version="$(thrift --version | awk '{print $3}')"
if [[ "$version" != "$expected_version" ]]; then
  echo "gen-thrift.sh: thrift ${expected_version} is required (Debian thrift-compiler), found ${version}" >&2
  exit 1
fi

shopt -s nullglob
idl_files=("$repo"/src/Protocol/*.thrift)
if [[ ${#idl_files[@]} -eq 0 ]]; then
  echo "gen-thrift.sh: no .thrift files in src/Protocol" >&2
  exit 1
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# Pass 1: map each file to its output folder and empty those folders (once each, even when two
# files share a namespace).
declare -A target_of=()
declare -A emptied=()
for idl in "${idl_files[@]}"; do
  name="$(basename "$idl")"
  namespace="$(awk '$1 == "namespace" && $2 == "netstd" { print $3; exit }' "$idl")"
  if [[ "$namespace" != Chat.Protocol.* ]]; then
    echo "gen-thrift.sh: $name must declare 'namespace netstd Chat.Protocol.<Area>' (found '${namespace}')" >&2
    exit 1
  fi
  area="${namespace#Chat.Protocol.}"
  target="$out_root/src/Protocol/${area//.//}/Generated"
  target_of["$idl"]="$target"
  if [[ -z "${emptied[$target]:-}" ]]; then
    mkdir -p "$target"
    rm -f "$target"/*.cs
    emptied["$target"]=1
  fi
done

# Pass 2: generate. The netstd generator nests its output in namespace folders
# (Chat/Protocol/<Area>/); flatten that into the target folder.
for idl in "${idl_files[@]}"; do
  name="$(basename "$idl" .thrift)"
  gen="$work/$name"
  mkdir -p "$gen"
  thrift --gen netstd:net6 -I "$repo/src/Protocol" -out "$gen" "$idl"
  found=0
  while IFS= read -r -d '' cs; do
    cp "$cs" "${target_of[$idl]}/"
    found=$((found + 1))
  done < <(find "$gen" -name '*.cs' -print0)
  if [[ $found -eq 0 ]]; then
    echo "gen-thrift.sh: thrift produced no C# for $name.thrift" >&2
    exit 1
  fi
  echo "gen-thrift.sh: $name.thrift -> ${target_of[$idl]#"$out_root"/} ($found files)"
done
