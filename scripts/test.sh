#!/usr/bin/env bash
# Installs what the tests need on a fresh machine, then runs every test.
#   - .venv: the Python that tests drive for real (MLflow server, scikit-learn, numpy),
#     pinned in requirements-test.txt and reinstalled when that file changes;
#   - Debian's Chromium for the browser tests of the report pages (Playwright drives it; no
#     browser download);
#   - Maven and every Java dependency come through ./mvnw.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# PostgreSQL (the prediction log's tests start their own cluster as the postgres user).
if ! ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then
  echo "test setup: installing PostgreSQL" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi

# Prometheus (the Istio and KServe backends' tests start their own, scraping a test exporter).
if ! command -v prometheus >/dev/null 2>&1; then
  echo "test setup: installing Prometheus" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq prometheus >/dev/null
fi

# The packaging tests (issue 22): Debian's distribution registry (docker-registry) on loopback, with
# basic auth from apache2-utils' htpasswd; mmdebstrap makes the base root filesystem offline from the
# Debian mirror (cached in ~/.cache/mlops, shared with `mlops demo`); podman imports and pushes it and runs the packaged
# image, with runc (crun fails on these machines). DemoContainersTest runs the demo with all of them.
missing_image_tools=()
for tool in docker-registry:docker-registry htpasswd:apache2-utils mmdebstrap:mmdebstrap podman:podman runc:runc; do
  command -v "${tool%%:*}" >/dev/null 2>&1 || missing_image_tools+=("${tool##*:}")
done
if (( ${#missing_image_tools[@]} )); then
  echo "test setup: installing ${missing_image_tools[*]} for the packaging tests" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing_image_tools[@]}" >/dev/null
fi

# nginx (with its ssl module, as Debian builds it): RouterHttpsUpstreamTest puts a TLS gateway in front of
# MLflow's scoring server, with a CA that openssl (installed below) makes in the test.
if ! command -v nginx >/dev/null 2>&1; then
  echo "test setup: installing nginx for the router's https upstream tests" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null
fi

requirements_hash="$(sha256sum requirements-test.txt | cut -d' ' -f1)"
if [[ ! -x .venv/bin/python || "$(cat .venv/.requirements.sha256 2>/dev/null)" != "$requirements_hash" ]]; then
  echo "test setup: creating .venv from requirements-test.txt" >&2
  python3 -m venv .venv
  .venv/bin/pip install --quiet --upgrade pip
  .venv/bin/pip install --quiet -r requirements-test.txt
  echo "$requirements_hash" > .venv/.requirements.sha256
fi

if [[ ! -x /usr/bin/chromium ]]; then
  echo "test setup: installing Debian's chromium for the report browser tests" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi
# Playwright's Java driver must not fetch its own browsers: the tests use /usr/bin/chromium.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

# The Kubernetes tests' control plane: etcd, kube-apiserver, kube-controller-manager, kube-scheduler and
# kwok, built from the Go module proxy once per machine and cached by version (scripts/k8s/build.sh; a cold
# build is long, see README.md), and openssl for its certificates. The tests find the binaries through
# MLOPS_K8S_BIN. Under CI=true they must run; elsewhere a failed build only skips them.
if ! command -v openssl >/dev/null 2>&1; then
  echo "test setup: installing openssl (the test cluster's certificates)" >&2
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssl >/dev/null
fi
if k8s_bin="$(scripts/k8s/build.sh)"; then
  export MLOPS_K8S_BIN="$k8s_bin"
elif [[ "${CI:-}" == true ]]; then
  echo "test setup: CI=true, and the Kubernetes test binaries did not build (scripts/k8s/build.sh above)" >&2
  exit 1
else
  echo "test setup: the Kubernetes test binaries did not build; the tests against a real cluster are skipped" >&2
fi

# The Jenkins plugin (plugin/, the root pom's `jenkins` profile) needs the Jenkins artifact
# repository. It is built and tested in the same reactor as core and cli (core is built once) when:
#   - ../shared/jenkins-repo is there (a stand-in built from the upstream sources, for machines that
#     cannot reach repo.jenkins-ci.org): Maven gets its settings.xml, which sends the Jenkins
#     repositories to it;
#   - or MLOPS_JENKINS_REPO=1 says the user's own Maven setup reaches a Jenkins repository (a mirror
#     in ~/.m2/settings.xml, say);
#   - or, without that variable, the plugin parent POM is already in the local Maven repository or
#     repo.jenkins-ci.org answers within 5 seconds.
# MLOPS_JENKINS_REPO=0 leaves the plugin out, as does -P!jenkins among the arguments (the
# repository's Jenkinsfile, whose second stage builds the plugin with buildPlugin). Under CI=true
# the plugin's tests must run: no Jenkins repository is a failure, never a skip.
maven_args=()
plugin_excluded() {
  [[ "${MLOPS_JENKINS_REPO:-}" == 0 ]] && return 0
  local arg
  for arg in "$@"; do
    [[ "$arg" == "-P!jenkins" || "$arg" == "-P-jenkins" ]] && return 0
  done
  return 1
}
jenkins_repo_reachable() {
  [[ "${MLOPS_JENKINS_REPO:-}" == 1 ]] && return 0
  local parent_version
  parent_version="$(sed -n '/<parent>/,/<\/parent>/s:.*<version>\(.*\)</version>.*:\1:p' plugin/pom.xml)"
  [[ -f "${MAVEN_REPO_LOCAL:-$HOME/.m2/repository}/org/jenkins-ci/plugins/plugin/$parent_version/plugin-$parent_version.pom" ]] \
    && return 0
  curl -fsS -o /dev/null --max-time 5 "https://repo.jenkins-ci.org/public/org/jenkins-ci/plugins/plugin/maven-metadata.xml" 2>/dev/null
}
if plugin_excluded "$@"; then
  echo "test setup: the Jenkins plugin is left out (MLOPS_JENKINS_REPO=0 or -P!jenkins)" >&2
elif [[ -d ../shared/jenkins-repo ]]; then
  JENKINS_REPO_DIR="$(cd ../shared/jenkins-repo && pwd)"
  export JENKINS_REPO_DIR
  echo "test setup: building the Jenkins plugin against $JENKINS_REPO_DIR" >&2
  maven_args+=(-s "$JENKINS_REPO_DIR/settings.xml" -Pjenkins)
elif jenkins_repo_reachable; then
  echo "test setup: building the Jenkins plugin against the Jenkins repository of the Maven setup" >&2
  maven_args+=(-Pjenkins)
elif [[ "${CI:-}" == true ]]; then
  echo "test setup: CI=true, and no Jenkins repository: neither ../shared/jenkins-repo nor repo.jenkins-ci.org" \
    "(set MLOPS_JENKINS_REPO=1 if your Maven settings reach one); the plugin's tests must run in CI" >&2
  exit 1
else
  echo "test setup: no Jenkins repository reachable; the Jenkins plugin is left out (MLOPS_JENKINS_REPO=1 forces it)" >&2
fi

./mvnw -B -ntp "${maven_args[@]}" verify "$@"
