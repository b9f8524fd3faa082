#!/usr/bin/env bash
# Runs Keel's whole test suite. On a fresh Debian machine, run as root: it installs what the
# tests need (etcd 3.4 server and client, Maven, procps, util-linux, docker.io, busybox-static,
# openssl;
# a JDK 21+ is looked up) before building and testing.
set -euo pipefail
cd "$(dirname "$0")/.."

# procps: the tests signal member processes with kill(1) (SIGSTOP/SIGCONT) and read ps(1).
# util-linux: the agent starts host processes under setsid(1), and bin/keel builds under flock(1)
# (always present on Debian; listed because the tests require it).
# docker.io, busybox-static: the Docker runtime tests start their own dockerd (DockerEngine) and
# import a busybox image built from /bin/busybox; nothing is pulled.
# openssl: the client TLS tests make their CA and certificates with it, as an operator would.
APT_PACKAGES=(etcd-server etcd-client maven procps util-linux docker.io busybox-static openssl)
missing=()
for p in "${APT_PACKAGES[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "test.sh: missing packages ${missing[*]}; run as root to install them" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The Debian package may start an etcd service; the tests start their own on free ports.
command -v etcd >/dev/null && command -v etcdctl >/dev/null || {
  echo "test.sh: etcd/etcdctl not on PATH after install" >&2; exit 1; }

if [[ -z "${JAVA_HOME:-}" || ! -x "${JAVA_HOME}/bin/javac" ]]; then
  for d in /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/java-21-openjdk-amd64; do
    if [[ -x "$d/bin/javac" ]]; then export JAVA_HOME="$d"; break; fi
  done
fi
if [[ -z "${JAVA_HOME:-}" ]]; then
  echo "test.sh: no JDK 21+ found; set JAVA_HOME (e.g. /usr/lib/jvm/temurin-25-jdk-amd64)" >&2
  exit 1
fi
export PATH="$JAVA_HOME/bin:$PATH"
export CI="${CI:-true}"

mvn -B -ntp verify
