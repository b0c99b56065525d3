#!/usr/bin/env python3
"""PyTorch reference for varec's ncf (NeuMF) and convncf (ConvNCF): seconds per training epoch.

The same architectures, loss and optimiser as varec (docs/ncf.md): squared error on ratings plus a
per-rating L2 penalty on the gathered embedding rows, minibatch Adam (SparseAdam on the sparse
embedding tables with --sparse: lazy rows, as varec's ParamAdam; by default dense Adam over the
whole tables, which torch 1.13 runs much faster), float32 on the CPU. The data are random
(user, item, rating) triples of the shape of ML-1M's 70% training share (6,040 users, 3,706
items, 700,146 ratings): speed does not depend on the values. With --max-batches the epoch time is
extrapolated from that many batches (after warm-up). A speed reference only: never a dependency
of varec.

    /usr/bin/python3 varec-bench/torch/ncf.py --model ncf --threads 2
    /usr/bin/python3 varec-bench/torch/ncf.py --model convncf --threads 2 --max-batches 200

Needs PyTorch (Debian: apt-get install python3-torch, which installs for /usr/bin/python3).
"""
import argparse
import time

try:
    import torch
except ImportError:  # pragma: no cover - a clear message instead of a trace
    raise SystemExit("ncf.py needs PyTorch: apt-get install python3-torch (then run /usr/bin/python3)")


class NeuMF(torch.nn.Module):
    """GMF (p o q) and a ReLU MLP on [p', q'], fused by a linear output (He et al. 2017, eq. (12))."""

    def __init__(self, users, items, k, hidden, sparse):
        super().__init__()
        self.k = k
        width = 2 * k if hidden else k
        self.P = torch.nn.Embedding(users, width, sparse=sparse)
        self.Q = torch.nn.Embedding(items, width, sparse=sparse)
        layers, d = [], 2 * k
        for h in hidden:
            layers += [torch.nn.Linear(d, h), torch.nn.ReLU()]
            d = h
        self.mlp = torch.nn.Sequential(*layers) if hidden else None
        self.out = torch.nn.Linear(k + (d if hidden else 0), 1)

    def forward(self, u, i):
        p, q = self.P(u), self.Q(i)
        z = p[:, :self.k] * q[:, :self.k]
        if self.mlp is not None:
            z = torch.cat([z, self.mlp(torch.cat([p[:, self.k:], q[:, self.k:]], 1))], 1)
        return self.out(z).squeeze(1), p, q


class ConvNCF(torch.nn.Module):
    """Outer product p q^T through 2x2 stride-2 convolutions with ReLU down to 1x1, linear output."""

    def __init__(self, users, items, k, channels, sparse):
        super().__init__()
        assert k & (k - 1) == 0, "K must be a power of two here"
        self.P = torch.nn.Embedding(users, k, sparse=sparse)
        self.Q = torch.nn.Embedding(items, k, sparse=sparse)
        layers, c, s = [], 1, k
        while s > 1:
            layers += [torch.nn.Conv2d(c, channels, 2, stride=2), torch.nn.ReLU()]
            c, s = channels, s // 2
        self.conv = torch.nn.Sequential(*layers)
        self.out = torch.nn.Linear(c, 1)

    def forward(self, u, i):
        p, q = self.P(u), self.Q(i)
        e = torch.bmm(p.unsqueeze(2), q.unsqueeze(1)).unsqueeze(1)
        return self.out(self.conv(e).flatten(1)).squeeze(1), p, q


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--model", choices=["ncf", "convncf"], default="ncf")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--rank", type=int, default=32)
    ap.add_argument("--hidden", default="64,32,16")
    ap.add_argument("--channels", type=int, default=32)
    ap.add_argument("--batch-size", type=int, default=None, help="default: 1024 (ncf), 256 (convncf), as varec")
    ap.add_argument("--reg", type=float, default=0.05)
    ap.add_argument("--lr", type=float, default=0.002)
    ap.add_argument("--max-batches", type=int, default=0, help="time this many batches and extrapolate (0: a full epoch)")
    ap.add_argument("--epochs", type=int, default=2)
    ap.add_argument("--sparse", action="store_true",
                    help="sparse embedding gradients and SparseAdam (lazy rows, as varec; much slower in torch 1.13)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    users, items, n = 6040, 3706, 700146
    batch = args.batch_size or (1024 if args.model == "ncf" else 256)
    u = torch.randint(0, users, (n,))
    i = torch.randint(0, items, (n,))
    r = torch.randint(1, 6, (n,)).float()
    if args.model == "ncf":
        hidden = [int(h) for h in args.hidden.split(",") if h.strip()]
        net = NeuMF(users, items, args.rank, hidden, args.sparse)
    else:
        net = ConvNCF(users, items, args.rank, args.channels, args.sparse)
    tables = [net.P.weight, net.Q.weight]
    dense = [p for name, p in net.named_parameters() if not name.startswith(("P.", "Q."))]
    if args.sparse:
        opt_sparse = torch.optim.SparseAdam(tables, lr=args.lr)
    else:  # dense Adam over the whole tables: every row moves every step (not lazy), but torch runs it fast
        opt_sparse = torch.optim.Adam(tables, lr=args.lr)
    opt_dense = torch.optim.Adam(dense, lr=args.lr)
    batches = (n + batch - 1) // batch
    for epoch in range(1, args.epochs + 1):
        perm = torch.randperm(n)
        todo = batches if args.max_batches <= 0 else min(batches, args.max_batches)
        t0 = time.perf_counter()
        sse = 0.0
        for b in range(todo):
            idx = perm[b * batch:(b + 1) * batch]
            y, p, q = net(u[idx], i[idx])
            err = y - r[idx]
            loss = (err * err).sum() + args.reg * ((p * p).sum() + (q * q).sum())
            opt_sparse.zero_grad()
            opt_dense.zero_grad()
            loss.backward()
            opt_sparse.step()
            opt_dense.step()
            sse += float((err * err).sum())
        sec = (time.perf_counter() - t0) * batches / todo
        print(f"{args.model} torch {torch.__version__}, {args.threads} thread(s), batch {batch}, "
              f"{'sparse' if args.sparse else 'dense'} tables: epoch {epoch} "
              f"{sec:.2f} s per epoch of {n} ratings ({todo} of {batches} batches timed), "
              f"{sec / n * 1e6:.2f} us per rating")


if __name__ == "__main__":
    main()
