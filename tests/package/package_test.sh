#!/usr/bin/env bash
# The install rules and the Debian package, checked on what they produce:
# 1. `cmake --install` into a DESTDIR: binary, config, rules and unit where they belong, the
#    unit pointing at the installed binary and config; installed again over an edited config,
#    the edit stays and the new default lands beside it as .dist.
# 2. `cpack -G DEB`: `dpkg-deb -c` lists the files, the config files are conffiles, the
#    maintainer scripts enable the unit through deb-systemd-helper, and lintian reports no
#    error.
#   usage: tests/package/package_test.sh BUILD_DIR   (a configured and built tree)
set -euo pipefail
build=$(cd "${1:?build dir}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. cmake --install
dest="$work/root"
DESTDIR="$dest" cmake --install "$build" --prefix /usr >"$work/install.log"
for f in usr/bin/reelfeed etc/reelfeed/reelfeed.toml etc/reelfeed/topics/ai-hollywood.toml \
  lib/systemd/system/reelfeed.service usr/share/doc/reelfeed/copyright \
  usr/share/man/man1/reelfeed.1.gz; do
  [ -e "$dest/$f" ] || fail "cmake --install did not install /$f"
done
grep -qx 'ExecStart=/usr/bin/reelfeed run -c /etc/reelfeed/reelfeed.toml' \
  "$dest/lib/systemd/system/reelfeed.service" || fail "the unit does not start /usr/bin/reelfeed"
"$dest/usr/bin/reelfeed" check-config -c "$dest/etc/reelfeed/reelfeed.toml" >/dev/null ||
  fail "the installed config does not check"
echo '# edited by the admin' >>"$dest/etc/reelfeed/reelfeed.toml"
DESTDIR="$dest" cmake --install "$build" --prefix /usr >"$work/install2.log"
grep -q '# edited by the admin' "$dest/etc/reelfeed/reelfeed.toml" ||
  fail "installing again overwrote the edited config"
[ -f "$dest/etc/reelfeed/reelfeed.toml.dist" ] || fail "no reelfeed.toml.dist beside the edit"
[ ! -e "$dest/etc/reelfeed/topics/ai-hollywood.toml.dist" ] ||
  fail "an unchanged file got a .dist copy"
echo "ok cmake --install (and an edited config kept)"

# 2. cpack -G DEB
(cd "$work" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log") ||
  { cat "$work/cpack.log" >&2; fail "cpack"; }
deb=$(ls "$work"/pkg/reelfeed_*.deb)
dpkg-deb -c "$deb" >"$work/contents"
for f in ./usr/bin/reelfeed ./etc/reelfeed/reelfeed.toml ./etc/reelfeed/topics/ai-hollywood.toml \
  ./lib/systemd/system/reelfeed.service ./usr/share/doc/reelfeed/copyright \
  ./usr/share/doc/reelfeed/changelog.gz ./usr/share/man/man1/reelfeed.1.gz; do
  awk '{print $6}' "$work/contents" | grep -qx "$f" || fail "$f is not in the package"
done
if awk '{print $6}' "$work/contents" | grep -q '^\./usr/local'; then
  fail "the package installs under /usr/local"
fi
dpkg-deb -e "$deb" "$work/control"
for f in /etc/reelfeed/reelfeed.toml /etc/reelfeed/topics/ai-hollywood.toml; do
  grep -qx "$f" "$work/control/conffiles" || fail "$f is not a conffile"
done
grep -q "deb-systemd-helper enable 'reelfeed.service'" "$work/control/postinst" ||
  fail "postinst does not enable the unit"
grep -q "deb-systemd-invoke stop 'reelfeed.service'" "$work/control/prerm" ||
  fail "prerm does not stop the unit"
grep -q "^Depends:.*libcurl" "$work/control/control" || fail "no shared-library dependencies"
dpkg-deb -x "$deb" "$work/x"
grep -qx 'ExecStart=/usr/bin/reelfeed run -c /etc/reelfeed/reelfeed.toml' \
  "$work/x/lib/systemd/system/reelfeed.service" || fail "the packaged unit's ExecStart"
echo "ok dpkg-deb: $(basename "$deb"), $(wc -l <"$work/contents") entries, conffiles, unit enabled"

# Errors fail; warnings and notes are printed for the record.
lintian --tag-display-limit 0 "$deb" >"$work/lintian.log" 2>&1 || true
cat "$work/lintian.log"
if grep -q '^E:' "$work/lintian.log"; then
  fail "lintian reports errors"
fi
echo "ok lintian: $(grep -c '^E:' "$work/lintian.log" || true) errors, $(grep -c '^W:' "$work/lintian.log" || true) warnings"
echo "1 passed, 0 failed"
