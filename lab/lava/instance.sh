#!/bin/bash
# A LAVA instance on this machine, from Debian's packages, to run the suite's
# LAVA job for real: lava-server (its web API, the scheduler) with a PostgreSQL
# database of its own, a lava-dispatcher worker, qemu devices (x86-64 and arm64
# jobs: the job's context arch picks QEMU), a user
# with a token, and a file server for what the jobs deploy and upload.
#   lab/lava/instance.sh start [--kernel-deb DEB]   install, build the device's image, start
#   lab/lava/instance.sh stop                       stop and remove all of it
#   lab/lava/instance.sh publish [--kernel-deb DEB] only the image and the repository, again
#   lab/lava/instance.sh image LABEL DEB            another kernel's image, at images/LABEL/
#   lab/lava/instance.sh status                     what runs; exit 0 all up, 1 not
#   lab/lava/instance.sh lavacli ARGS...            lavacli as the instance's user
# Both start and stop are idempotent. Root only (packages, a PostgreSQL cluster).
#
# No systemd is needed: the services run as the commands their units run
# (gunicorn3 lava_server.wsgi, lava-server manage lava-scheduler, lava-worker),
# each in a session of its own, as this user (their files are in the cache, under
# a home the packages' lavaserver user cannot enter); stop ends each session.
# The LAVA units the packages enable are disabled (a systemd boot would start
# them on no database). Everything they write is under $PST_LAVA_CACHE
# (~/.cache/pst-lava): the server's settings point there (LAVA_SETTINGS_*,
# DATABASE_URL: no file in /etc/lava-server is written), except
#   - the database: a PostgreSQL cluster of its own (pg_createcluster, port
#     $PST_LAVA_PG_PORT, started by hand, never at boot), dropped by stop;
#   - the dispatcher's per-job directories under /var/lib/lava/dispatcher/tmp
#     (a constant of lava-common): stop removes those its jobs left.
# $cache/www is served at http://127.0.0.1:$PST_LAVA_FILES_PORT/ (lab/lava/file-server.py):
# images/ (lab/lava/image.sh; images/arm64/: the arm64 one, lab/lava/job-qemu-arm64.yaml),
# sctp-peeloff.git (this working tree's files as a
# commit), artifacts/ (the devices' uploads).
# Exit 0 done, 1 a step failed (the message says which and what to do), 2 usage
# or missing dependency.
set -u
cd "$(dirname "$0")/../.." || exit 2
root=$PWD
cache=${PST_LAVA_CACHE:-$HOME/.cache/pst-lava}
port=${PST_LAVA_PORT:-8290}             # the web UI and API (gunicorn)
files_port=${PST_LAVA_FILES_PORT:-8291} # the file server
pg_port=${PST_LAVA_PG_PORT:-5490}
cluster=pst-lava
user=pst worker=pst-worker
devices=${PST_LAVA_DEVICES:-2} # qemu-01, qemu-02, ...: two jobs at once (a kernel matrix)
# The device images built (amd64 at images/, the others at images/ARCH/); each
# device runs a job of any of them (LAVA's qemu device type: the job's context arch).
arches=${PST_LAVA_ARCHES:-amd64 arm64}
dispatcher_tmp=/var/lib/lava/dispatcher/tmp
# The units Debian's lava-server and lava-dispatcher enable when installed.
units="lava-server-gunicorn lava-scheduler lava-publisher lava-celery-worker lava-worker lava-docker-worker"
services="gunicorn scheduler worker files"
start_wait=60 # seconds for a service to answer

say() { echo "lava-instance: $*" >&2; }
fail() {
	say "$1"
	[ -n "${2:-}" ] && say "  what to do: $2"
	exit 1
}
usage() {
	sed -n 's/^#   lab\/lava\/instance.sh/  lab\/lava\/instance.sh/p' "$0" >&2
	exit 2
}

pg_version() { ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1; }
# The settings of every lava-server process: the cache instead of /etc and /var.
server_env() {
	local s=$cache/server
	export DJANGO_SETTINGS_MODULE=lava_server.settings.prod
	export DATABASE_URL="postgres://pstlava:$(cat "$cache/state/db-password")@127.0.0.1:$pg_port/pstlava"
	SECRET_KEY=$(cat "$cache/state/secret-key") && export SECRET_KEY
	export LAVA_SETTINGS_MEDIA_ROOT=$s/media
	export LAVA_SETTINGS_DEVICES_PATH=$s/devices
	export LAVA_YAML_SETTINGS_DEVICE_TYPES_PATHS="['$s/device-types', '/usr/share/lava-server/device-types']"
	export LAVA_SETTINGS_HEALTH_CHECKS_PATH=$s/health-checks
	export LAVA_SETTINGS_DISPATCHER_CONFIG_PATH=$s/dispatcher.d
	export LAVA_SETTINGS_DJANGO_LOGFILE=$cache/log/django.log
}
manage() { (server_env && cd "$cache" && lava-server manage "$@"); }
random() { head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9'; }

# A service runs while the session its pid file names has a process.
running() {
	local pid
	pid=$(cat "$cache/state/$1.pid" 2>/dev/null) || return 1
	[ -n "$pid" ] && pgrep -s "$pid" >/dev/null
}
# launch NAME COMMAND...: in a session of its own, its output into log/NAME.out.
launch() {
	local name=$1
	shift
	running "$name" && return 0
	setsid "$@" </dev/null >>"$cache/log/$name.out" 2>&1 &
	echo $! >"$cache/state/$name.pid"
}
# end NAME: its whole session (the worker's lava-run and QEMU with it): TERM, then KILL.
end() {
	local pid
	pid=$(cat "$cache/state/$1.pid" 2>/dev/null) || return 0
	[ -n "$pid" ] || return 0
	pkill -TERM -s "$pid" 2>/dev/null
	for _ in $(seq 1 50); do
		pgrep -s "$pid" >/dev/null || break
		sleep 0.2
	done
	pkill -KILL -s "$pid" 2>/dev/null
	rm -f "$cache/state/$1.pid"
}
# wait_for WHAT COMMAND...: until COMMAND succeeds, $start_wait s at most.
wait_for() {
	local what=$1
	shift
	for _ in $(seq 1 $((start_wait * 2))); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.5
	done
	return 1
}
api() { curl -sf "http://127.0.0.1:$port/api/v0.2/$1"; }
lavacli_() { lavacli --uri "http://$user:$(cat "$cache/state/token")@127.0.0.1:$port/RPC2" "$@"; }

start() {
	local deb=
	while [ $# -gt 0 ]; do
		case $1 in
		--kernel-deb) deb=${2:?}; shift 2 ;;
		*) usage ;;
		esac
	done
	[ "$(id -u)" -eq 0 ] || fail "start needs root (packages, a PostgreSQL cluster)" "run it as root"
	harness/deps.sh lava || exit 2
	mkdir -p "$cache"/{state,log,worker,www/images,www/artifacts} \
		"$cache"/server/{media,devices,device-types,health-checks,dispatcher.d} ||
		fail "cannot create $cache" "check the permissions of $(dirname "$cache")"
	[ -f "$cache/state/started" ] || date -u +%FT%TZ >"$cache/state/started"
	# (a stamp for stop: the dispatcher's directories newer than it are this instance's)

	publish ${deb:+--kernel-deb "$deb"}

	local v
	v=$(pg_version)
	[ -n "$v" ] || fail "no PostgreSQL server installed" "harness/deps.sh lava"
	if ! pg_lsclusters -h 2>/dev/null | awk -v c=$cluster '$2 == c { f = 1 } END { exit !f }'; then
		say "PostgreSQL $v cluster '$cluster' on port $pg_port"
		pg_createcluster --start-conf manual -p "$pg_port" "$v" "$cluster" >"$cache/log/pg_createcluster.log" 2>&1 ||
			fail "pg_createcluster $v $cluster failed: $(tail -1 "$cache/log/pg_createcluster.log")" \
				"is port $pg_port free? set PST_LAVA_PG_PORT, or lab/lava/instance.sh stop first"
	fi
	if ! pg_ctlcluster "$v" "$cluster" status >/dev/null 2>&1; then
		pg_ctlcluster "$v" "$cluster" start 2>"$cache/log/pg_ctlcluster.log" ||
			fail "the PostgreSQL cluster does not start: $(tail -1 "$cache/log/pg_ctlcluster.log")" \
				"see /var/log/postgresql/postgresql-$v-$cluster.log"
	fi
	[ -s "$cache/state/db-password" ] || random >"$cache/state/db-password"
	[ -s "$cache/state/secret-key" ] || random >"$cache/state/secret-key"
	# The role and the database, unless there (psql as postgres: peer authentication).
	su postgres -c "psql -q -p $pg_port -v ON_ERROR_STOP=1" >"$cache/log/psql.log" 2>&1 <<EOF ||
SELECT 'CREATE ROLE pstlava LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'pstlava')\\gexec
ALTER ROLE pstlava PASSWORD '$(cat "$cache/state/db-password")';
SELECT 'CREATE DATABASE pstlava OWNER pstlava ENCODING ''UTF-8'' LC_COLLATE ''C.UTF-8'' LC_CTYPE ''C.UTF-8'' TEMPLATE template0'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'pstlava')\\gexec
EOF
		fail "cannot create the database: $(tail -1 "$cache/log/psql.log")" "see $cache/log/psql.log"
	say "the database schema (lava-server manage migrate)"
	manage migrate --noinput >"$cache/log/migrate.log" 2>&1 ||
		fail "lava-server manage migrate failed: $(tail -1 "$cache/log/migrate.log")" "see $cache/log/migrate.log"

	# The user and its token, the worker, the device type and the device.
	if ! manage users details "$user" >/dev/null 2>&1; then
		manage users add --superuser --staff --passwd "$(random)" "$user" >/dev/null 2>"$cache/log/users.log" ||
			fail "cannot add the user $user: $(tail -1 "$cache/log/users.log")"
	fi
	if [ ! -s "$cache/state/token" ] || ! manage tokens list --user "$user" 2>/dev/null | grep -q "$(cat "$cache/state/token")"; then
		random >"$cache/state/token"
		manage tokens add --user "$user" --secret "$(cat "$cache/state/token")" >/dev/null 2>"$cache/log/tokens.log" ||
			fail "cannot add a token for $user: $(tail -1 "$cache/log/tokens.log")"
	fi
	if ! manage workers details "$worker" >/dev/null 2>&1; then
		manage workers add --description "the suite's local worker" "$worker" >/dev/null 2>"$cache/log/workers.log" ||
			fail "cannot add the worker $worker: $(tail -1 "$cache/log/workers.log")"
	fi
	manage workers details "$worker" 2>/dev/null | sed -n 's/^token *: //p' >"$cache/state/worker-token"
	[ -s "$cache/state/worker-token" ] || fail "no token for the worker $worker (lava-server manage workers details)"
	if ! manage device-types details qemu >/dev/null 2>&1; then
		manage device-types add qemu >/dev/null 2>"$cache/log/device-types.log" ||
			fail "cannot add the device type qemu: $(tail -1 "$cache/log/device-types.log")"
	fi
	local device dictionary n
	dictionary=$(device_dictionary)
	for n in $(seq 1 "$devices"); do
		device=$(printf 'qemu-%02d' "$n")
		printf '%s\n' "$dictionary" >"$cache/server/devices/$device.jinja2"
		if ! manage devices details "$device" >/dev/null 2>&1; then
			manage devices add --device-type qemu --worker "$worker" --description "QEMU on this machine ($arches jobs)" \
				"$device" >/dev/null 2>"$cache/log/devices.log" ||
				fail "cannot add the device $device: $(tail -1 "$cache/log/devices.log")"
		fi
	done

	disable_units
	# The services, each the command its unit runs (see the header).
	say "the services: web API on 127.0.0.1:$port, scheduler, worker $worker, files on 127.0.0.1:$files_port"
	server_env
	cd "$cache" || fail "cannot enter $cache"
	launch gunicorn gunicorn3 lava_server.wsgi --bind "127.0.0.1:$port" --worker-class eventlet --workers 2 \
		--log-level INFO --log-file "$cache/log/gunicorn.log"
	launch scheduler lava-server manage lava-scheduler --user "$(id -un)" --group "$(id -gn)" --level INFO \
		--log-file "$cache/log/lava-scheduler.log"
	launch files /usr/bin/python3 "$root/lab/lava/file-server.py" "$cache/www" "$files_port"
	wait_for "the web API" api system/version/ ||
		fail "the web API does not answer on 127.0.0.1:$port within ${start_wait}s" \
			"see $cache/log/gunicorn.log; is the port free? set PST_LAVA_PORT"
	wait_for "the file server" curl -sf "http://127.0.0.1:$files_port/images/image.env" ||
		fail "the file server does not answer on 127.0.0.1:$files_port" \
			"see $cache/log/files.out; is the port free? set PST_LAVA_FILES_PORT"
	launch worker lava-worker --name "$worker" --url "http://127.0.0.1:$port/" \
		--token-file "$cache/state/worker-token" --worker-dir "$cache/worker" \
		--log-file "$cache/log/lava-worker.log" --level INFO
	cd "$root" || exit 1
	wait_for "the worker" worker_online ||
		fail "the worker $worker is not online within ${start_wait}s" "see $cache/log/lava-worker.log"
	running scheduler || fail "the scheduler is not running" "see $cache/log/lava-scheduler.log"
	say "up: http://127.0.0.1:$port/ (user $user, token in $cache/state/token; lab/lava/instance.sh lavacli ...)"
}

# The worker has called in: the device is ready for jobs.
worker_online() { (server_env && cd "$cache" && lava-server manage workers details "$worker") | grep -q '^state *: Online'; }

# The device: the qemu device type, KVM when a probe boot of the image works
# under it (harness/guests/qemu-accel.sh), else software emulation (TCG).
device_dictionary() {
	local accel
	accel=$(harness/guests/qemu-accel.sh --kernel "$cache/www/images/vmlinuz" \
		--initrd "$cache/www/images/initramfs.cpio.gz" | head -1)
	echo "{% extends 'qemu.jinja2' %}"
	echo "{# $(date -u +%FT%TZ) lab/lava/instance.sh: accelerator ${accel:-tcg} #}"
	[ "$accel" = kvm ] || echo "{% set no_kvm = True %}"
}

# What the jobs deploy, served: the device's image and this working tree's files.
publish() {
	local deb=
	[ "${1:-}" = --kernel-deb ] && deb=${2:?}
	mkdir -p "$cache/www/images" || fail "cannot create $cache/www/images"
	say "the device's image (lab/lava/image.sh) into $cache/www/images"
	lab/lava/image.sh ${deb:+--kernel-deb "$deb"} --out "$cache/www/images" ||
		fail "the image build failed (above)" "fix what it says, then start again"
	local a
	for a in $arches; do
		case $a in
		amd64) ;;
		arm64)
			say "the arm64 device's image (lab/lava/image.sh --arch arm64) into $cache/www/images/arm64"
			lab/lava/image.sh --arch arm64 --out "$cache/www/images/arm64" ||
				fail "the arm64 image build failed (above)" "fix what it says, or PST_LAVA_ARCHES=amd64; then start again"
			;;
		*) fail "PST_LAVA_ARCHES: amd64 and arm64 are known, not '$a'" ;;
		esac
	done
	say "this working tree as a git repository at $cache/www/sctp-peeloff.git"
	publish_repo || fail "cannot publish the project's git repository" "is $root a git checkout?"
}

# This working tree as it is (tracked and untracked files, not the ignored ones:
# a commit made through an index of its own, touching no ref and not the
# checkout's index; one commit without its history: a small clone), as branch
# main of a bare repository that the file server serves with git's dumb HTTP
# protocol. The project is in its subdirectory sctp-peeloff/: LAVA's test shell
# writes its own run.sh (and install.sh, uuid) into the root of the clone, which
# would append LAVA's script to the project's run.sh.
publish_repo() {
	local repo=$cache/www/sctp-peeloff.git index tree commit
	index=$(mktemp "${TMPDIR:-/tmp}/pst-lava-index.XXXXXX") || return 1
	GIT_INDEX_FILE=$index git read-tree HEAD && GIT_INDEX_FILE=$index git add -A &&
		tree=$(GIT_INDEX_FILE=$index git write-tree) &&
		tree=$(printf '040000 tree %s\tsctp-peeloff\n' "$tree" | git mktree) &&
		commit=$(git commit-tree "$tree" -m "$(git describe --always --dirty): the working tree, for lab/lava/instance.sh")
	local st=$?
	rm -f "$index"
	[ "$st" -eq 0 ] || return 1
	rm -rf "$repo" && git init -q --bare "$repo" &&
		git push -q "$repo" "$commit:refs/heads/main" &&
		git -C "$repo" symbolic-ref HEAD refs/heads/main &&
		git -C "$repo" update-server-info
}

disable_units() {
	command -v systemctl >/dev/null || return 0
	local u
	for u in $units; do
		[ -f "/lib/systemd/system/$u.service" ] && systemctl disable --quiet "$u.service" 2>/dev/null
	done
	return 0
}

stop() {
	[ "$(id -u)" -eq 0 ] || fail "stop needs root" "run it as root"
	local s v
	for s in worker scheduler gunicorn files; do end "$s"; done
	v=$(pg_version)
	if [ -n "$v" ] && pg_lsclusters -h 2>/dev/null | awk -v c=$cluster '$2 == c { f = 1 } END { exit !f }'; then
		pg_dropcluster --stop "$v" "$cluster" 2>"$cache/pg_dropcluster.log" ||
			fail "pg_dropcluster --stop $v $cluster failed: $(tail -1 "$cache/pg_dropcluster.log" 2>/dev/null)" \
				"see /var/log/postgresql/; then stop again"
	fi
	[ -n "$v" ] && rm -f "/var/log/postgresql/postgresql-$v-$cluster.log"*
	# The dispatcher's per-job directories of this instance's jobs.
	if [ -f "$cache/state/started" ] && [ -d "$dispatcher_tmp" ]; then
		find "$dispatcher_tmp" -mindepth 1 -maxdepth 1 -newer "$cache/state/started" -exec rm -rf {} +
	fi
	disable_units
	rm -rf "$cache"
	say "stopped: no service, database or file of the instance left"
}

status() {
	local s st=0 v
	[ -d "$cache/state" ] || { echo "lava-instance: not started ($cache absent)"; return 1; }
	for s in $services; do
		if running "$s"; then echo "$s: running (session $(cat "$cache/state/$s.pid"))"; else echo "$s: not running"; st=1; fi
	done
	v=$(pg_version)
	pg_lsclusters -h 2>/dev/null | awk -v c=$cluster '$2 == c { print "database: PostgreSQL " $1 " cluster " $2 ", port " $3 ", " $4 }'
	if api system/version/ >/dev/null 2>&1; then
		echo "web API: http://127.0.0.1:$port/ (version $(api system/version/ | sed 's/.*"version":"\([^"]*\)".*/\1/'))"
	else
		echo "web API: not answering"
		st=1
	fi
	return $st
}

case ${1:-} in
start) shift; start "$@" ;;
stop) stop ;;
status) status ;;
image)
	[ $# -eq 3 ] || usage
	[ -d "$cache/www" ] || fail "the instance is not started" "lab/lava/instance.sh start"
	case $2 in *[!A-Za-z0-9._-]* | '' | . | ..) fail "image: a label of letters, digits, '.', '_', '-', not '$2'" ;; esac
	lab/lava/image.sh --kernel-deb "$3" --out "$cache/www/images/$2" ||
		fail "the image build for $2 failed (above)"
	;;
publish)
	shift
	[ "$(id -u)" -eq 0 ] || fail "publish needs root (harness/deps.sh)" "run it as root"
	publish "$@"
	;;
lavacli)
	shift
	[ -s "$cache/state/token" ] || fail "the instance is not started" "lab/lava/instance.sh start"
	lavacli_ "$@"
	;;
*) usage ;;
esac
