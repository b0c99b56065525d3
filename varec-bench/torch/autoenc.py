#!/usr/bin/env python3
"""PyTorch reference for varec's autoencoder baselines: seconds per training epoch on ML-1M.

The same architectures and batch sizes as varec's defaults (docs/neural-baselines.md):

- autorec-i / autorec-u: a rating row (an item's ratings by user, or a user's ratings by item) ->
  sigmoid(V r + mu) with 500 units -> W h + b, squared error on the observed entries only, plus
  (lambda/2)(||V||^2 + ||W||^2) on the batch's share; Adam, 64 rows per step.
- dae-cf / mult-vae (gaussian likelihood, the VAE-BMF MSE swap): a user's L2-normalised rating row
  with input dropout 0.5 -> tanh 600 -> 200 (tanh code, or mu and log sigma^2 and a reparameterised
  draw) -> tanh 600 -> all items, squared error on the observed ratings (+ beta KL); Adam, 128
  users per step.

The rows are dense float32 tensors with a 0/1 mask, the way PyTorch AutoRec and Mult-VAE code is
usually written (`--sparse` instead uses a torch.sparse encoder input and reads the decoder at the
observed entries only, as varec does). 90% of the ratings train, as `holdout:0.9`. A speed
reference only, never a dependency of varec; the RMSE it prints is after the timed epochs only.

    /usr/bin/python3 varec-bench/torch/autoenc.py --data ../shared/data/ml-1m --threads 2 --epochs 3

Needs PyTorch (Debian: apt-get install python3-torch, which installs for /usr/bin/python3).
"""
import argparse
import statistics
import time

try:
    import torch
    import torch.nn.functional as F
except ImportError:  # pragma: no cover - a clear message instead of a trace
    raise SystemExit("autoenc.py needs PyTorch: apt-get install python3-torch (then run /usr/bin/python3)")

from bnnmf_epoch import read_ratings


def dense_rows(rows, cols, n_rows, n_cols, vals):
    r = torch.zeros(n_rows, n_cols)
    r[rows, cols] = vals
    return r


class AutoRec(torch.nn.Module):
    def __init__(self, n_in, hidden):
        super().__init__()
        self.enc = torch.nn.Linear(n_in, hidden)
        self.dec = torch.nn.Linear(hidden, n_in)

    def forward(self, x):
        return self.dec(torch.sigmoid(self.enc(x)))


class UserAe(torch.nn.Module):
    def __init__(self, n_items, hidden, rank, vae):
        super().__init__()
        self.vae = vae
        self.rank = rank
        self.e0 = torch.nn.Linear(n_items, hidden)
        self.e1 = torch.nn.Linear(hidden, 2 * rank if vae else rank)
        self.d0 = torch.nn.Linear(rank, hidden)
        self.out = torch.nn.Linear(hidden, n_items)

    def forward(self, x, dropout):
        h = F.dropout(F.normalize(x, dim=1), dropout, self.training)
        e = self.e1(torch.tanh(self.e0(h)))
        kl = torch.zeros(())
        if self.vae:
            mu, lv = e[:, :self.rank], e[:, self.rank:]
            z = mu + torch.exp(0.5 * lv) * torch.randn_like(mu) if self.training else mu
            kl = 0.5 * (torch.exp(lv) + mu * mu - 1 - lv).sum()
        else:
            z = torch.tanh(e)
        return self.out(torch.tanh(self.d0(z))), kl


def epoch_autorec(model, opt, R, M, batch, lam, sparse, n_cols):
    n = R.shape[0]
    perm = torch.randperm(n)
    total = 0.0
    for s in range(0, n, batch):
        idx = perm[s:s + batch]
        x, m = R[idx], M[idx]
        if sparse:
            nz = m.nonzero(as_tuple=True)
            xs = torch.sparse_coo_tensor(torch.stack(nz), x[nz], x.shape)
            h = torch.sigmoid(torch.sparse.mm(xs, model.enc.weight.t()) + model.enc.bias)
            y = (h[nz[0]] * model.dec.weight[nz[1]]).sum(1) + model.dec.bias[nz[1]]
            loss = ((y - x[nz]) ** 2).sum()
        else:
            loss = (((model(x) - x) * m) ** 2).sum()
        loss = loss + lam / 2 * (len(idx) / n) * (model.enc.weight.pow(2).sum() + model.dec.weight.pow(2).sum())
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
    return total


def epoch_user_ae(model, opt, R, M, batch, dropout, beta):
    model.train()
    n = R.shape[0]
    perm = torch.randperm(n)
    for s in range(0, n, batch):
        idx = perm[s:s + batch]
        x, m = R[idx], M[idx]
        y, kl = model(x, dropout)
        loss = (((y - x) * m) ** 2).sum() + beta * kl
        opt.zero_grad()
        loss.backward()
        opt.step()


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--models", default="autorec-i,autorec-u,dae-cf,mult-vae")
    ap.add_argument("--sparse", action="store_true", help="sparse encoder input and decoder read at observed entries (AutoRec)")
    ap.add_argument("--seed", type=int, default=42)
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    users, items, vals, nu, ni = read_ratings(a.data)
    perm = torch.randperm(len(vals))
    cut = round(0.9 * len(vals))
    tr, te = perm[:cut], perm[cut:]
    for name in a.models.split(","):
        by_item = name == "autorec-i"
        rows, cols = (items, users) if by_item else (users, items)
        n_rows, n_cols = (ni, nu) if by_item else (nu, ni)
        R = dense_rows(rows[tr], cols[tr], n_rows, n_cols, vals[tr])
        M = (R != 0).float()
        if name.startswith("autorec"):
            model = AutoRec(n_cols, 500)
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            run = lambda: epoch_autorec(model, opt, R, M, 64, 200.0, a.sparse, n_cols)
        else:
            model = UserAe(ni, 600, 200, name == "mult-vae")
            opt = torch.optim.Adam(model.parameters(), lr=1e-3)
            run = lambda: epoch_user_ae(model, opt, R, M, 128, 0.5, 0.2)
        times = []
        for e in range(a.epochs):
            t0 = time.perf_counter()
            run()
            times.append(time.perf_counter() - t0)
        with torch.no_grad():
            if name.startswith("autorec"):
                full = model(R)
            else:
                model.eval()
                full, _ = model(R, 0.0)
            tr_rows, tr_cols = rows[te], cols[te]
            pred = full[tr_rows, tr_cols].clamp(1, 5)
            rmse = ((pred - vals[te]) ** 2).mean().sqrt().item()
        print(f"{name:10s} seconds/epoch median {statistics.median(times):.3f} "
              f"(all: {', '.join(f'{t:.3f}' for t in times)}), threads {a.threads}, "
              f"{'sparse' if a.sparse else 'dense'} rows; test RMSE after {a.epochs} epochs {rmse:.4f}")


if __name__ == "__main__":
    main()
