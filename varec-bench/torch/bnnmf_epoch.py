#!/usr/bin/env python3
"""PyTorch reference for one bnnmf SVI epoch: seconds per epoch on ML-1M, to set beside varec's.

The same work as one epoch of varec's bnnmf (docs/nnmf.md, "bnnmf"): mean-field Gaussian q over
U, V (K = 10), U', V' (D = 60, K' = 1) and every weight and bias of an 80-50-50-50-1 sigmoid
network, the training ratings (90% of ML-1M) in shuffled batches of 30,000, and on each batch

1. a network step: a draw of the batch's embedding rows (one draw per distinct row, as varec) and
   of every weight and bias (weight noise), the Gaussian negative log-likelihood with a learned
   noise variance plus (B/N) KL(q(theta) || p(theta)), backward to theta's means and rhos and the
   log noise variance only, one Adam step;
2. an embedding step on the same batch: fresh draws, the likelihood plus each row's KL share,
   backward to the embedding means and rhos only, one Adam step.

Adam here is torch's dense Adam over the whole embedding tables (varec's is lazy per row), and the
prior variances are fixed (varec's move once per epoch, a negligible cost). A speed reference
only, never a dependency of varec; the accuracy it reaches is not the point (no warm-ups, no
schedule).

    /usr/bin/python3 varec-bench/torch/bnnmf_epoch.py --data ../shared/data/ml-1m --threads 2 --epochs 3

Needs PyTorch (Debian: apt-get install python3-torch, which installs for /usr/bin/python3).
"""
import argparse
import math
import os
import statistics
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - a clear message instead of a trace
    raise SystemExit("bnnmf_epoch.py needs PyTorch: apt-get install python3-torch (then run /usr/bin/python3)")


def read_ratings(directory):
    """ratings.dat (GroupLens: user::item::rating::time) or ratings.csv (user_id,movie_id,rating)."""
    users, items, values = [], [], []
    dat = os.path.join(directory, "ratings.dat")
    path = dat if os.path.exists(dat) else os.path.join(directory, "ratings.csv")
    with open(path, encoding="latin-1") as f:
        for line in f:
            parts = line.rstrip("\n").split("::" if path == dat else ",")
            if not parts[0].isdigit():
                continue  # the csv header
            users.append(int(parts[0]))
            items.append(int(parts[1]))
            values.append(float(parts[2]))
    uid = {u: k for k, u in enumerate(sorted(set(users)))}
    iid = {i: k for k, i in enumerate(sorted(set(items)))}
    return (torch.tensor([uid[u] for u in users]), torch.tensor([iid[i] for i in items]),
            torch.tensor(values), len(uid), len(iid))


class Gaussian:
    """q = N(mu, softplus(rho)^2) over a tensor, prior N(0, s2)."""

    def __init__(self, shape, init_sd, post_sd):
        self.mu = (torch.randn(shape) * init_sd).requires_grad_()
        self.rho = torch.full(shape, math.log(math.expm1(post_sd))).requires_grad_()

    def sigma(self):
        return F.softplus(self.rho)

    def sample(self, index=None):
        mu = self.mu if index is None else self.mu[index]
        sd = self.sigma() if index is None else F.softplus(self.rho[index])
        return mu + sd * torch.randn_like(mu)

    def kl(self, s2=1.0, index=None, weights=None):
        mu = self.mu if index is None else self.mu[index]
        sd = self.sigma() if index is None else F.softplus(self.rho[index])
        k = 0.5 * math.log(s2) - torch.log(sd) + (sd * sd + mu * mu) / (2 * s2) - 0.5
        if weights is not None:
            k = k * weights.unsqueeze(1)
        return k.sum()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True, help="the ml-1m directory (ratings.dat or ratings.csv)")
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--batch", type=int, default=30000)
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    users, items, values, nu, ni = read_ratings(a.data)
    keep = torch.randperm(len(values))[: int(0.9 * len(values))]
    users, items, values = users[keep], items[keep], values[keep]
    n = len(values)
    k, p, hidden = 10, 60, [50, 50, 50]
    u, v = Gaussian((nu, k), 0.1, 0.1), Gaussian((ni, k), 0.1, 0.1)
    up, vp = Gaussian((nu, p), 0.1, 0.1), Gaussian((ni, p), 0.1, 0.1)
    sizes = [2 * k + p] + hidden + [1]
    layers = []
    for l in range(len(sizes) - 1):
        gain = 4.0 if l < len(sizes) - 2 else 1.0
        w = Gaussian((sizes[l], sizes[l + 1]), gain * math.sqrt(2.0 / (sizes[l] + sizes[l + 1])), 0.01)
        b = Gaussian((sizes[l + 1],), 0.0, 0.01)
        layers.append((w, b))
    with torch.no_grad():
        layers[-1][1].mu.fill_(values.mean())
    log_var = torch.tensor(math.log(values.var().item()), requires_grad=True)
    user_total = torch.bincount(users, minlength=nu).float()
    item_total = torch.bincount(items, minlength=ni).float()
    net_params = [t for w, b in layers for t in (w.mu, w.rho, b.mu, b.rho)] + [log_var]
    emb_params = [t for g in (u, v, up, vp) for t in (g.mu, g.rho)]
    opt_net = torch.optim.Adam(net_params, lr=0.01)
    opt_emb = torch.optim.Adam(emb_params, lr=0.01)

    def forward(bu, bi, inv_u, inv_i, du, di):
        us, vs = u.sample(du)[inv_u], v.sample(di)[inv_i]
        ups, vps = up.sample(du)[inv_u], vp.sample(di)[inv_i]
        h = torch.cat([us, vs, ups * vps], dim=1)
        for l, (w, b) in enumerate(layers):
            h = h @ w.sample() + b.sample()
            if l < len(layers) - 1:
                h = torch.sigmoid(h)
        return h.squeeze(1)

    def nll(f, y, lv):
        return 0.5 * len(y) * (math.log(2 * math.pi) + lv) + ((y - f) ** 2).sum() / (2 * lv.exp())

    times = []
    for epoch in range(a.epochs):
        start = time.perf_counter()
        order = torch.randperm(n)
        for lo in range(0, n, a.batch):
            idx = order[lo: lo + a.batch]
            bu, bi, y = users[idx], items[idx], values[idx]
            du, inv_u = torch.unique(bu, return_inverse=True)
            di, inv_i = torch.unique(bi, return_inverse=True)
            share_u = torch.bincount(inv_u).float() / user_total[du]
            share_i = torch.bincount(inv_i).float() / item_total[di]
            # 1. network step (embeddings are drawn but not differentiated)
            opt_net.zero_grad()
            with torch.no_grad():
                us, vs = u.sample(du)[inv_u], v.sample(di)[inv_i]
                x = torch.cat([us, vs, up.sample(du)[inv_u] * vp.sample(di)[inv_i]], dim=1)
            h = x
            for l, (w, b) in enumerate(layers):
                h = h @ w.sample() + b.sample()
                if l < len(layers) - 1:
                    h = torch.sigmoid(h)
            loss = nll(h.squeeze(1), y, log_var) + len(y) / n * sum(w.kl() + b.kl() for w, b in layers)
            loss.backward()
            opt_net.step()
            # 2. embedding step (the network is drawn but not differentiated)
            opt_emb.zero_grad()
            for w, b in layers:
                w.mu.requires_grad_(False), w.rho.requires_grad_(False), b.mu.requires_grad_(False), b.rho.requires_grad_(False)
            f = forward(bu, bi, inv_u, inv_i, du, di)
            loss = (nll(f, y, log_var.detach())
                    + u.kl(index=du, weights=share_u) + up.kl(index=du, weights=share_u)
                    + v.kl(index=di, weights=share_i) + vp.kl(index=di, weights=share_i))
            loss.backward()
            opt_emb.step()
            for w, b in layers:
                w.mu.requires_grad_(True), w.rho.requires_grad_(True), b.mu.requires_grad_(True), b.rho.requires_grad_(True)
        times.append(time.perf_counter() - start)
        print(f"epoch {epoch + 1}: {times[-1]:.3f} s", flush=True)
    print(f"PyTorch {torch.__version__}, {a.threads} threads, {n} ratings, batch {a.batch}: "
          f"median {statistics.median(times):.3f} s per epoch")


if __name__ == "__main__":
    main()
