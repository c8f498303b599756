#!/bin/sh
# Stands in for nvidia-smi on machines without a GPU: answers --query-gpu from a recorded
# sample (its path in FAKE_NVIDIA_SMI_SAMPLE), honouring --id like the real tool.
ids=""
for arg in "$@"; do
  case "$arg" in
    --id=*) ids="${arg#--id=}" ;;
  esac
done
if [ -z "$ids" ]; then
  cat "$FAKE_NVIDIA_SMI_SAMPLE"
else
  for id in $(echo "$ids" | tr ',' ' '); do
    grep "^$id," "$FAKE_NVIDIA_SMI_SAMPLE"
  done
fi
