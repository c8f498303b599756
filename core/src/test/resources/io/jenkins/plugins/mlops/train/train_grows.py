"""Keeps more and more of the dataset in memory, 16 MiB at a time, as a leaking data loader does."""
import time

kept = []
for step in range(1, 257):
    kept.append(bytearray(16 << 20))  # zero-filled by the allocator's touch: resident at once
    if step % 8 == 0:
        print(f"holding {step * 16} MiB", flush=True)
    time.sleep(0.01)
print("never printed: 4 GiB held")
