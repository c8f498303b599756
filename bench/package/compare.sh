#!/usr/bin/env bash
# Measures the two daemonless ways of packaging a model that issue 22 names, on the same model,
# base and wheels, each twice from scratch, and prints build time, image size and whether the
# two builds gave the same digest:
#   (a) mlops package: Jib-style layer assembly in Java (pip --target on this machine, no RUN);
#   (b) podman build --timestamp 0 (buildah): a Containerfile that RUNs pip inside the base.
# Needs what scripts/test.sh installs (docker-registry, mmdebstrap, podman, runc) and .venv.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
root=$PWD
work=$(mktemp -d /tmp/mlops-bench-package.XXXXXX)
python=$root/.venv/bin/python
podman=(podman --runtime runc --cgroup-manager=cgroupfs)
trap 'kill "${registry_pid:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

port=$($python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
registry=127.0.0.1:$port
printf 'version: 0.1\nlog: {level: warn}\nstorage: {filesystem: {rootdirectory: %s/storage}}\nhttp: {addr: "%s"}\n' \
  "$work" "$registry" > "$work/registry.yml"
docker-registry serve "$work/registry.yml" > "$work/registry.log" 2>&1 &
registry_pid=$!
for _ in $(seq 100); do curl -fsS "http://$registry/v2/" >/dev/null 2>&1 && break; sleep 0.1; done

# The same base as the tests (mmdebstrap, cached by package list).
rootfs=$(ls -t ~/.cache/mlops/base-rootfs/*.tar 2>/dev/null | head -1 || true)
if [[ -z "$rootfs" ]]; then
  rootfs=$work/base.tar
  mmdebstrap --variant=essential --include=python3-minimal,libpython3.11-stdlib,ca-certificates --format=tar \
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*' \
    --dpkgopt='path-exclude=/usr/share/locale/*' --dpkgopt='path-exclude=/usr/share/info/*' bookworm "$rootfs" 2>/dev/null
fi
"${podman[@]}" import -q "$rootfs" localhost/mlops-bench-base >/dev/null
"${podman[@]}" push -q --tls-verify=false localhost/mlops-bench-base "$registry/base:bookworm"
base=$registry/base:bookworm

$python examples/churn/train.py --data examples/churn/data/reference.csv --out "$work/churn" --epochs 3 >/dev/null 2>&1
model=$work/churn/model
wheels=$work/wheels

seconds() { local start=$1; $python -c "import time; print(f'{time.time() - $start:.1f}')"; }
now() { $python -c 'import time; print(time.time())'; }

# (a) mlops package, twice; the wheel cache is warm for the second build, as in CI. The command line is built first.
./mlops --version >/dev/null
for i in 1 2; do
  start=$(now)
  ./mlops package --model "$model" --image "$registry/churn-mlops:$i" --base "$base" --python "$python" \
    --wheel-cache "$wheels" --json --quiet > "$work/a$i.json"
  echo "a$i $(seconds "$start") $($python -c "import json,sys; r=json.load(open(sys.argv[1])); print(r['digest'], r['size_bytes'])" "$work/a$i.json")" >> "$work/results"
done

# (b) podman build --timestamp 0 (buildah) from the same wheels, no cache between the builds.
mkdir -p "$work/ctx"
cp -r "$model" "$work/ctx/model"
cp -r "$wheels" "$work/ctx/wheels"
sed 's/^mlflow==/mlflow-skinny==/' "$model/requirements.txt" > "$work/ctx/requirements.in"
$python -m pip download -q --only-binary=:all: --python-version 3.11 --platform manylinux2014_x86_64 -d "$work/ctx/wheels" pip
pip_wheel=$(cd "$work/ctx/wheels" && ls pip-*.whl | head -1)
cat > "$work/ctx/Containerfile" <<CONTAINERFILE
FROM $base
# The wheels are bind-mounted, not copied: a COPY layer would keep them in the image. The base has no pip: run pip
# from its wheel. No bytecode, no cache: both would carry build times.
RUN --mount=type=bind,source=wheels,target=/tmp/wheels --mount=type=bind,source=requirements.in,target=/tmp/requirements.in \
    python3 /tmp/wheels/$pip_wheel/pip install --no-index --find-links /tmp/wheels --no-compile --no-cache-dir \
      --root-user-action=ignore --target /opt/mlops/python -r /tmp/requirements.in
COPY model /opt/mlops/model
ENV PYTHONPATH=/opt/mlops/python __pyfunc_model_path__=/opt/mlops/model UVICORN_HOST=0.0.0.0 UVICORN_PORT=8080
ENTRYPOINT ["python3", "-m", "uvicorn", "mlflow.pyfunc.scoring_server.app:app"]
CONTAINERFILE
for i in 1 2; do
  start=$(now)
  "${podman[@]}" build -q --no-cache --timestamp 0 --network host --tls-verify=false -t "localhost/churn-buildah:$i" "$work/ctx" >/dev/null
  "${podman[@]}" push -q --tls-verify=false --digestfile "$work/b$i.digest" "localhost/churn-buildah:$i" "$registry/churn-buildah:$i"
  size=$(curl -fsS -H 'Accept: application/vnd.oci.image.manifest.v1+json,application/vnd.docker.distribution.manifest.v2+json' \
    "http://$registry/v2/churn-buildah/manifests/$i" | $python -c 'import json,sys; m=json.load(sys.stdin); print(m["config"]["size"] + sum(l["size"] for l in m["layers"]))')
  echo "b$i $(seconds "$start") $(cat "$work/b$i.digest") $size" >> "$work/results"
  "${podman[@]}" rmi -f "localhost/churn-buildah:$i" >/dev/null
done
"${podman[@]}" rmi -f localhost/mlops-bench-base >/dev/null

echo "builder                         build_s  size_MB  digest"
while read -r run secs digest size; do
  case $run in a*) name="mlops package (Jib-style) #${run#a}";; b*) name="podman build --timestamp 0 #${run#b}";; esac
  printf '%-31s %7s  %7.1f  %s\n' "$name" "$secs" "$($python -c "print($size / 1e6)")" "$digest"
done < "$work/results"
a=($(awk '/^a/ {print $3}' "$work/results")); b=($(awk '/^b/ {print $3}' "$work/results"))
echo "mlops package reproducible: $([[ ${a[0]} == "${a[1]}" ]] && echo yes || echo no)"
echo "podman build --timestamp 0 reproducible: $([[ ${b[0]} == "${b[1]}" ]] && echo yes || echo no)"
