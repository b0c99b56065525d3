#!/usr/bin/env python3
"""PyTorch reference for varec's MlpBenchmark: one training step's network work of NNMF's network.

Forward and backward of an 80-50-50-50-1 MLP (sigmoid hidden units, linear output) over a batch of
1024 rows, float32, on the CPU, with the same FLOP count as MlpBenchmark (46,300 per row: forward,
weight gradients, input gradients of layers 2-4), reported in GFLOP/s as the median of repeated
timings. A speed and accuracy reference only: never a dependency of varec.

    /usr/bin/python3 varec-bench/torch/mlp_reference.py --threads 1
    /usr/bin/python3 varec-bench/torch/mlp_reference.py --threads 2

Needs PyTorch (Debian: apt-get install python3-torch, which installs for /usr/bin/python3).
"""
import argparse
import statistics
import time

try:
    import torch
except ImportError:  # pragma: no cover - a clear message instead of a trace
    raise SystemExit("mlp_reference.py needs PyTorch: apt-get install python3-torch (then run /usr/bin/python3)")

BATCH = 1024
FLOPS = BATCH * 2 * (9050 + 9050 + 5050)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seconds", type=float, default=1.0, help="length of one timing")
    ap.add_argument("--repeats", type=int, default=10)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    net = torch.nn.Sequential(
        torch.nn.Linear(80, 50), torch.nn.Sigmoid(),
        torch.nn.Linear(50, 50), torch.nn.Sigmoid(),
        torch.nn.Linear(50, 50), torch.nn.Sigmoid(),
        torch.nn.Linear(50, 1))
    x = torch.randn(BATCH, 80)
    d_out = torch.randn(BATCH, 1)

    def step():
        net.zero_grad(set_to_none=False)
        y = net(x)
        y.backward(d_out)

    for _ in range(200):  # warm-up
        step()
    rates = []
    for _ in range(args.repeats):
        n = 0
        t0 = time.perf_counter()
        while time.perf_counter() - t0 < args.seconds:
            step()
            n += 1
        rates.append(n * FLOPS / (time.perf_counter() - t0) / 1e9)
    print(f"torch {torch.__version__}, {args.threads} thread(s): median {statistics.median(rates):.2f} GFLOP/s "
          f"(min {min(rates):.2f}, max {max(rates):.2f}) over {args.repeats} timings of {args.seconds} s")


if __name__ == "__main__":
    main()
