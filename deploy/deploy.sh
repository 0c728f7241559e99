#!/usr/bin/env bash
# Installs or updates Pipekit as a systemd service. Idempotent: run it from a fresh clone, and again after any update.
#
#   1. the pipekit system user and group, if absent
#   2. a self-contained linux-x64 build in /opt/pipekit/<version>, precompiled as one ReadyToRun composite image
#      (framework included, so a short `pipekit run` from cron spends little time in the JIT); /opt/pipekit/current
#      points at it
#   3. the /usr/local/bin/pipekit launcher (the service's data directory, config and secrets as defaults)
#   4. /etc/pipekit/pipekit.toml and /etc/pipekit/secrets.toml (0640, group pipekit) if absent; never overwritten
#   5. the data directory /var/lib/pipekit, owned by pipekit
#   6. pipekit init as pipekit (creates or upgrades the state store; an upgrade backs the store up first)
#   7. /etc/systemd/system/pipekit.service, enabled
#   8. pipekit doctor as pipekit; when it fails, deploy stops here with exit 1 and the service keeps running as it was
#   9. systemctl restart pipekit
set -euo pipefail

usage() {
  cat <<'USAGE'
Usage: deploy/deploy.sh [options]

Installs or updates Pipekit as the systemd service 'pipekit' (run as root; safe to run again).

Options:
  --dry-run              print what would be done, change nothing
  --root DIR             install into DIR as a staging root (also: DESTDIR=DIR); users go to DIR/etc/passwd,
                         the unit is enabled with systemctl --root, and the service is not restarted
  --from-publish DIR     use this `dotnet publish` output (self-contained linux-x64) instead of publishing
  --version V            the version directory under /opt/pipekit (default: <project version>-<git commit>)
  -h, --help             show this help
USAGE
}

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="${DESTDIR:-}"
dry_run=0
from_publish=""
version=""
while [[ $# -gt 0 ]]; do
  case "$1" in
    --dry-run) dry_run=1 ;;
    --root) [[ $# -ge 2 ]] || { echo "deploy: --root needs a directory" >&2; exit 2; }; root="$2"; shift ;;
    --from-publish) [[ $# -ge 2 ]] || { echo "deploy: --from-publish needs a directory" >&2; exit 2; }; from_publish="$2"; shift ;;
    --version) [[ $# -ge 2 ]] || { echo "deploy: --version needs a value" >&2; exit 2; }; version="$2"; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "deploy: unknown option '$1'; see deploy/deploy.sh --help" >&2; exit 2 ;;
  esac
  shift
done

if [[ -n "$root" ]]; then
  [[ -d "$root" ]] || { echo "deploy: root directory '$root' does not exist; create it first" >&2; exit 2; }
  root="$(cd "$root" && pwd)"
fi
if [[ $dry_run -eq 0 && $(id -u) -ne 0 ]]; then
  echo "deploy: run as root (sudo deploy/deploy.sh), or try --dry-run" >&2
  exit 2
fi
if [[ -n "$from_publish" && ! -x "$from_publish/pipekit" ]]; then
  echo "deploy: --from-publish '$from_publish' holds no executable 'pipekit'; give the output directory of dotnet publish" >&2
  exit 2
fi
if [[ -z "$version" ]]; then
  project_version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' "$repo/Directory.Build.props" | head -1)"
  commit="$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)"
  version="${project_version:-0.0.0}-${commit}"
fi
if [[ ! "$version" =~ ^[A-Za-z0-9._+-]+$ ]]; then
  echo "deploy: version '$version' may use only letters, digits and . _ + -" >&2
  exit 2
fi

user=pipekit
opt="$root/opt/pipekit"
etc="$root/etc/pipekit"
data="$root/var/lib/pipekit"
launcher="$root/usr/local/bin/pipekit"
unit="$root/etc/systemd/system/pipekit.service"

say() { printf '%-8s %s\n' "$1" "$2"; }
# Runs a command that changes the system, or only prints it under --dry-run.
act() {
  if [[ $dry_run -eq 1 ]]; then say "would" "$*"; else say "run" "$*"; "$@"; fi
}
# Writes stdin to a file when its content differs (atomically, via a sibling temporary file).
install_content() {
  local target="$1" mode="$2" owner="$3" temp
  temp="$(mktemp)"
  cat > "$temp"
  if [[ -f "$target" ]] && cmp -s "$temp" "$target"; then
    rm -f "$temp"
    say "ok" "$target is current"
  elif [[ $dry_run -eq 1 ]]; then
    rm -f "$temp"
    say "would" "write $target (mode $mode, owner $owner)"
  else
    mkdir -p "$(dirname "$target")"
    install -m "$mode" -o "${owner%%:*}" -g "${owner##*:}" "$temp" "$target.deploy-new"
    mv -f "$target.deploy-new" "$target"
    rm -f "$temp"
    say "wrote" "$target"
  fi
}
# Ids of the pipekit user from the target root's passwd file (the host's when there is no --root).
ids() { awk -F: -v u="$user" '$1 == u { print $3 ":" $4 }' "$root/etc/passwd" 2>/dev/null; }

# 1. user and group
prefix_args=()
[[ -n "$root" ]] && prefix_args=(--prefix "$root")
if awk -F: -v u="$user" '$1 == u { found = 1 } END { exit !found }' "$root/etc/group" 2>/dev/null; then
  say "ok" "group $user exists"
else
  act groupadd "${prefix_args[@]}" --system "$user"
fi
if [[ -n "$(ids)" ]]; then
  say "ok" "user $user exists"
else
  act useradd "${prefix_args[@]}" --system --gid "$user" --home-dir /var/lib/pipekit --no-create-home \
    --shell /usr/sbin/nologin --comment "Pipekit service" "$user"
fi
owner="$(ids)"
[[ -z "$owner" && $dry_run -eq 1 ]] && owner="pipekit:pipekit"

# 2. the build
dest="$opt/$version"
if [[ -f "$dest/.deploy-complete" && "$version" != *-dirty ]]; then
  say "ok" "$dest is installed"
elif [[ $dry_run -eq 1 ]]; then
  if [[ -n "$from_publish" ]]; then say "would" "copy $from_publish to $dest"
  else say "would" "dotnet publish src/Pipekit.Cli -c Release -r linux-x64 --self-contained (ReadyToRun composite) -o $dest"; fi
else
  staging="$opt/.$version.deploy-new"
  rm -rf "$staging"
  mkdir -p "$opt"
  if [[ -n "$from_publish" ]]; then
    say "copy" "$from_publish -> $dest"
    cp -a "$from_publish/." "$staging/"
  else
    command -v dotnet > /dev/null || { echo "deploy: dotnet is not on PATH; install the .NET 10 SDK, or pass --from-publish DIR" >&2; exit 1; }
    say "publish" "$dest (ReadyToRun composite; a few minutes)"
    if ! "$repo/deploy/publish.sh" "$staging"; then
      rm -rf "$staging"
      echo "deploy: dotnet publish failed (output above); nothing was installed" >&2
      exit 1
    fi
  fi
  chown -R root:root "$staging"
  chmod -R u=rwX,go=rX "$staging"
  touch "$staging/.deploy-complete"
  rm -rf "$dest"
  mv "$staging" "$dest"
fi
if [[ "$(readlink "$opt/current" 2>/dev/null)" == "$version" ]]; then
  say "ok" "$opt/current -> $version"
else
  act ln -sfn "$version" "$opt/.current.deploy-new"
  act mv -T "$opt/.current.deploy-new" "$opt/current"
fi

# 3. the launcher
install_content "$launcher" 0755 root:root <<'LAUNCHER'
#!/bin/sh
# Installed by Pipekit's deploy.sh: runs the current Pipekit with the service's data directory, config and secrets
# unless the environment names others. Run commands as the service user: sudo -u pipekit pipekit doctor
: "${PIPEKIT_HOME:=/var/lib/pipekit}"
: "${PIPEKIT_CONFIG:=/etc/pipekit/pipekit.toml}"
: "${PIPEKIT_SECRETS:=/etc/pipekit/secrets.toml}"
export PIPEKIT_HOME PIPEKIT_CONFIG PIPEKIT_SECRETS
exec /opt/pipekit/current/pipekit "$@"
LAUNCHER

# 4. config and secrets, only when absent
if [[ -e "$etc/pipekit.toml" ]]; then
  say "ok" "$etc/pipekit.toml exists (kept as it is)"
else
  install_content "$etc/pipekit.toml" 0644 root:root <<'CONFIG'
# Pipekit configuration (docs/configuration.md). Created by deploy.sh; later deploys never overwrite it.
# The service keeps its state in /var/lib/pipekit (PIPEKIT_HOME in the unit).

[server]
host = "127.0.0.1"
port = 8080
CONFIG
fi
if [[ -e "$etc/secrets.toml" ]]; then
  say "ok" "$etc/secrets.toml exists (kept as it is)"
else
  install_content "$etc/secrets.toml" 0640 "root:${owner##*:}" <<'SECRETS'
# Pipekit secrets: readable by the pipekit group only. Edit with: sudo pipekit secrets set KEY
# Connection passwords are referenced as $KEY from connections and notification channels.
[global]
SECRETS
fi

# 5. the data directory
if [[ -d "$data" && "$(stat -c '%u:%g %a' "$data")" == "$owner 750" ]]; then
  say "ok" "$data is owned by $user"
else
  act mkdir -p "$data"
  act chown "$owner" "$data"
  act chmod 0750 "$data"
fi

# Runs the installed pipekit as the service user, with the service's paths.
as_pipekit() {
  setpriv --reuid="${owner%%:*}" --regid="${owner##*:}" --clear-groups -- \
    env -i PATH=/usr/bin:/bin HOME="$data" PIPEKIT_HOME="$data" PIPEKIT_CONFIG="$etc/pipekit.toml" \
    PIPEKIT_SECRETS="$etc/secrets.toml" "$opt/current/pipekit" "$@"
}

# 6. init
if [[ $dry_run -eq 1 ]]; then say "would" "pipekit init (as $user)"; else say "run" "pipekit init (as $user)"; as_pipekit init; fi

# 7. the unit
install_content "$unit" 0644 root:root < "$repo/deploy/pipekit.service"
systemctl_args=()
[[ -n "$root" ]] && systemctl_args=(--root="$root")
if [[ -n "$root" || -d /run/systemd/system ]]; then
  if [[ -z "$root" ]]; then act systemctl daemon-reload; fi
  if [[ $dry_run -eq 0 ]] && systemctl "${systemctl_args[@]}" is-enabled --quiet pipekit.service 2> /dev/null; then
    say "ok" "pipekit.service is enabled"
  else
    act systemctl "${systemctl_args[@]}" enable --quiet pipekit.service
  fi
fi

# 8. doctor
if [[ $dry_run -eq 1 ]]; then
  say "would" "pipekit doctor (as $user); stop here when it fails"
else
  say "run" "pipekit doctor (as $user)"
  if ! as_pipekit doctor; then
    echo "deploy: pipekit doctor failed, so the service was NOT restarted; fix what it reports and run deploy.sh again" >&2
    exit 1
  fi
fi

# 9. restart
if [[ -n "$root" ]]; then
  say "skip" "systemctl restart pipekit.service (installing into --root $root)"
elif [[ -d /run/systemd/system ]]; then
  act systemctl restart pipekit.service
else
  say "skip" "systemd is not running on this machine; start the server with: sudo -u pipekit pipekit serve"
fi
say "done" "pipekit $version"
