#!/usr/bin/env bash
# deploy/deploy.sh in a throwaway root: files, modes, owners, idempotence, kept config and secrets, and a failing
# doctor that stops the deploy. Needs root (it chowns and runs pipekit as the pipekit user of the throwaway root).
# The build it installs: $PIPEKIT_DEPLOY_PUBLISH (a `dotnet publish` output) when set, else the Debug build that
# ./test.sh has just made (framework-dependent, so it runs with the installed .NET runtime).
set -uo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
deploy="$repo/deploy/deploy.sh"
build="${PIPEKIT_DEPLOY_PUBLISH:-$repo/src/Pipekit.Cli/bin/Debug/net10.0/linux-x64}"
passed=0 failed=0 skipped=0

check() { # check NAME COMMAND...
  local name="$1"; shift
  if "$@"; then passed=$((passed + 1)); echo "ok   $name"; else failed=$((failed + 1)); echo "FAIL $name"; fi
}
finish() { echo "$passed passed, $failed failed, $skipped skipped"; [[ $failed -eq 0 ]]; exit $?; }

if [[ $(id -u) -ne 0 ]]; then echo "skip: needs root"; skipped=1; finish; fi
if [[ ! -x "$build/pipekit" ]]; then echo "no pipekit build at $build; run dotnet build first"; failed=1; finish; fi

root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
chmod 0755 "$root"   # the pipekit user must reach its data directory inside it
mkdir -p "$root/etc"
touch "$root/etc/passwd" "$root/etc/group" "$root/etc/shadow" "$root/etc/gshadow"
chmod 0640 "$root/etc/shadow" "$root/etc/gshadow"

run_deploy() { bash "$deploy" --root "$root" --from-publish "$build" --version 1.2.3-test "$@" > "$root.out" 2>&1; echo $? > "$root.rc"; }
rc() { [[ "$(cat "$root.rc")" == "$1" ]]; }
out_has() { grep -qE -- "$1" "$root.out"; }
out_lacks() { ! grep -qE -- "$1" "$root.out"; }
stat_is() { [[ "$(stat -c "$2" "$root/$1" 2>/dev/null)" == "$3" ]]; }
# Every path with its type, mode and owner, and a checksum of regular files outside the data directory.
snapshot() {
  (cd "$root" && find . -path ./var/lib/pipekit -prune -o -printf '%p %y %m %u:%g %l\n' | sort
   cd "$root" && find . -path ./var/lib/pipekit -prune -o -type f -print0 | sort -z | xargs -0 md5sum)
}

check "--help prints the usage" bash -c "bash '$deploy' --help | grep -q -- '--dry-run'"
bash "$deploy" --bogus > /dev/null 2>&1; code=$?
check "an unknown option exits 2" test "$code" -eq 2

before="$(snapshot)"
run_deploy --dry-run
check "dry run succeeds" rc 0
check "dry run says what it would do" out_has '^would +useradd'
check "dry run changes nothing" test "$before" == "$(snapshot)"

run_deploy
check "first deploy succeeds" rc 0
uid="$(awk -F: '$1 == "pipekit" { print $3 }' "$root/etc/passwd")"
gid="$(awk -F: '$1 == "pipekit" { print $3 }' "$root/etc/group")"
check "the pipekit user is a system user in the root's passwd" test -n "$uid" -a "${uid:-1000}" -lt 1000
check "the build is in /opt/pipekit/<version>" test -x "$root/opt/pipekit/1.2.3-test/pipekit"
check "current points at the version" test "$(readlink "$root/opt/pipekit/current")" == "1.2.3-test"
check "the launcher is 0755 root" stat_is usr/local/bin/pipekit '%a %U' '755 root'
check "the launcher runs the current build" grep -q '^exec /opt/pipekit/current/pipekit' "$root/usr/local/bin/pipekit"
check "pipekit.toml is 0644" stat_is etc/pipekit/pipekit.toml '%a %u' '644 0'
check "secrets.toml is 0640 root, group pipekit" stat_is etc/pipekit/secrets.toml '%a %u:%g' "640 0:$gid"
check "the data directory is 0750 pipekit" stat_is var/lib/pipekit '%a %u:%g' "750 $uid:$gid"
check "init made the state store as pipekit" stat_is var/lib/pipekit/pipekit.db '%u' "$uid"
check "the unit is installed" cmp -s "$repo/deploy/pipekit.service" "$root/etc/systemd/system/pipekit.service"
check "the unit is enabled" test -L "$root/etc/systemd/system/multi-user.target.wants/pipekit.service"
check "doctor ran after the deploy" out_has 'ok +state'
check "a --root deploy does not restart a service" out_has '^skip +systemctl restart'

first="$(snapshot)"
run_deploy
check "second deploy succeeds" rc 0
check "second deploy changes nothing" test "$first" == "$(snapshot)"
check "second deploy writes nothing" out_lacks '^(wrote|copy|run +(groupadd|useradd|mkdir|chown|ln))'
check "second deploy adds no second user" test "$(grep -c '^pipekit:' "$root/etc/passwd")" -eq 1

printf '\n[global]\napi_token = "kept"\n' > "$root/etc/pipekit/secrets.toml"
printf '# edited by the operator\n[server]\nport = 9090\n' > "$root/etc/pipekit/pipekit.toml"
run_deploy
check "a deploy keeps an edited secrets file" grep -q 'api_token = "kept"' "$root/etc/pipekit/secrets.toml"
check "a deploy keeps an edited config file" grep -q 'port = 9090' "$root/etc/pipekit/pipekit.toml"

# A connection that cannot be reached makes doctor fail: the deploy must stop before the restart.
setpriv --reuid="$uid" --regid="$gid" --clear-groups -- env -i PATH=/usr/bin:/bin HOME="$root/var/lib/pipekit" \
  PIPEKIT_HOME="$root/var/lib/pipekit" PIPEKIT_CONFIG="$root/etc/pipekit/pipekit.toml" PIPEKIT_SECRETS="$root/etc/pipekit/secrets.toml" \
  "$root/opt/pipekit/current/pipekit" connections add unreachable --url "postgres://nobody@127.0.0.1:9/none" > /dev/null 2>&1
run_deploy
check "a failing doctor makes the deploy exit 1" rc 1
check "a failing doctor says the service was not restarted" out_has 'NOT restarted'
check "a failing doctor stops before the restart step" out_lacks 'systemctl restart'

rm -f "$root.out" "$root.rc"
finish
