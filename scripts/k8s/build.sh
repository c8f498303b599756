#!/usr/bin/env bash
# Builds the binaries of the tests' Kubernetes control plane from the Go module proxy, once per
# machine, and prints the folder that holds them:
#   kube-apiserver, kube-controller-manager, kube-scheduler  (k8s.io/kubernetes)
#   etcd                                                     (go.etcd.io/etcd/server/v3)
#   kwok                                                     (sigs.k8s.io/kwok: nodes and pods without kubelets)
# The folder is keyed by the three versions, so a version bump builds anew and a rerun costs
# nothing. A cold build is long (about 13 CPU-minutes for Kubernetes; see README.md), which is
# why the result is cached under ${MLOPS_K8S_CACHE:-~/.cache/mlops/k8s}.
set -euo pipefail

K8S_VERSION=v1.37.2
ETCD_VERSION=v3.7.4
KWOK_VERSION=v0.8.0
BINARIES=(kube-apiserver kube-controller-manager kube-scheduler etcd kwok)

cache="${MLOPS_K8S_CACHE:-$HOME/.cache/mlops/k8s}"
out="$cache/k8s-$K8S_VERSION-etcd-$ETCD_VERSION-kwok-$KWOK_VERSION"

complete() {
  local b
  for b in "${BINARIES[@]}"; do [[ -x "$out/$b" ]] || return 1; done
}
if complete; then
  echo "$out"
  exit 0
fi

# The official Go distribution's place, for shells whose PATH does not name it.
command -v go >/dev/null || [[ ! -x /usr/local/go/bin/go ]] || PATH="$PATH:/usr/local/go/bin"
command -v go >/dev/null || { echo "k8s build: Go is not installed (https://go.dev/dl; Debian's golang-go is too old)" >&2; exit 2; }
mkdir -p "$cache"
# One build at a time per machine: a second caller waits for the first instead of building twice.
exec 9>"$cache/.build.lock"
flock 9
if complete; then
  echo "$out"
  exit 0
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
partial="$out.partial"
rm -rf "$partial" && mkdir -p "$partial"
export CGO_ENABLED=0 GOFLAGS=-mod=mod
started=$SECONDS

# Kubernetes: a scratch module requiring k8s.io/kubernetes, with each staging module it replaces
# by a local path (./staging/src/k8s.io/...) pinned to the matching published v0.x version.
minor="${K8S_VERSION#v1.}"; minor="${minor%%.*}"
staging_version="v0.${K8S_VERSION#v1.}"
mkdir "$work/kubernetes" && cd "$work/kubernetes"
go mod init mlops.test/kubernetes >/dev/null 2>&1
go mod download -json "k8s.io/kubernetes@$K8S_VERSION" >/dev/null
kube_mod="$(go env GOMODCACHE)/cache/download/k8s.io/kubernetes/@v/$K8S_VERSION.mod"
sed -n 's:^[[:space:]]*\(k8s\.io/[^[:space:]]*\) => \./staging/.*:\1:p' "$kube_mod" | while read -r module; do
  go mod edit -replace "$module=$module@$staging_version"
done
go mod edit -require "k8s.io/kubernetes@$K8S_VERSION"
version_flags=""
for pkg in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
  version_flags+=" -X $pkg.gitVersion=$K8S_VERSION -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor"
  version_flags+=" -X $pkg.gitTreeState=clean"
done
echo "k8s build: Kubernetes $K8S_VERSION (from empty Go caches about 13 CPU-minutes, 12 min on a busy 2-core machine)" >&2
go build -trimpath -ldflags "-s -w$version_flags" -o "$partial/" \
  k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager k8s.io/kubernetes/cmd/kube-scheduler

# etcd: the server module's root is its main package.
mkdir "$work/etcd" && cd "$work/etcd"
go mod init mlops.test/etcd >/dev/null 2>&1
go mod edit -require "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
echo "k8s build: etcd $ETCD_VERSION" >&2
go build -trimpath -ldflags "-s -w" -o "$partial/etcd" go.etcd.io/etcd/server/v3

# kwok
mkdir "$work/kwok" && cd "$work/kwok"
go mod init mlops.test/kwok >/dev/null 2>&1
go mod edit -require "sigs.k8s.io/kwok@$KWOK_VERSION"
echo "k8s build: kwok $KWOK_VERSION" >&2
go build -trimpath -ldflags "-s -w" -o "$partial/kwok" sigs.k8s.io/kwok/cmd/kwok

rm -rf "$out" && mv "$partial" "$out"
echo "k8s build: done in $((SECONDS - started)) s" >&2
echo "$out"
