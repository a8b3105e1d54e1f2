#!/usr/bin/env python3
"""PyTorch anchor for Elektron's real-text benchmark: the same batches, "an HF/PyTorch loop written the usual way".

Plain PyTorch, no `transformers` and no `safetensors` package (the checkpoint is read by hand). The model is the
pretrained MiniLM-L6 checkpoint in ELECTRA layout (../shared/models/minilm-l6-electra: vocab 30522, hidden 384,
6 layers, 12 heads, intermediate 1536) with HuggingFace ElectraModel semantics as HF 4.30's eager code computes
them: word + position + token-type embeddings -> LayerNorm -> dropout; post-LN layers with explicit matmul/softmax
attention (additive mask: 0 for real tokens, float32 min for padding), exact (erf) GELU. For training, HF's
ElectraClassificationHead on token 0 (dropout -> dense -> GELU -> dropout -> out_proj, 28 labels), randomly
initialised (normal std 0.02, zero bias, fixed seed).

The batches come from the Java harness as JSON lines, one batch per line:
  {"kind": "train", "input_ids": [[101, ..., 102], ...], "labels": [[0, 1, 0, ... 28 values], ...]}
  {"kind": "encode", "input_ids": [[...], ...]}
Sequences are unpadded (already truncated); token type ids are all 0.

Workloads (--mode; with `all` each runs in its own process, so each peak RSS is that workload's own):
  train          per batch: pad to the batch's longest (pad id 0) with an attention mask, model.train(), logits,
                 BCEWithLogitsLoss (mean), backward, clip_grad_norm_(1.0), AdamW (lr 5e-5, eps 1e-6, weight decay
                 0.01 except biases and LayerNorm weights), linear warmup (10% of the run's steps) / decay
                 schedule, zero_grad(set_to_none=True)
  fgm            the train step with FGM, matrix form, eps 1: after the clean backward r = eps * g / ||g||_2 on
                 embeddings.word_embeddings.weight, back up a copy of the weight, add r, forward + backward again
                 (gradients accumulate), restore, then clip + step + zero grad
  encode         model.eval(), torch.no_grad(), the file's batches in order, padded to each batch's longest,
                 mean-pooled last hidden state over real tokens (sentence-transformers pooling)
  encode-sorted  the same texts sorted by length (longest first, as sentence-transformers does), batches of 32,
                 outputs restored to input order

Measurement: --warmup batches (the first ones of the workload's batch list) run untimed first; then the timed pass
runs the workload's batches from the first one (all of them, or --max-batches), --rounds times. Each batch's step
(padding/tensor building included, as a DataLoader collate in the main process would be) is timed with
time.perf_counter(); a round's seconds are the wall time of the whole pass (for encode-sorted including the sort
and the reordering). Real tokens are the sum of sequence lengths (no padding); padded tokens are B * T summed.
real_tokens_per_s is the median over rounds of real tokens / round seconds. The torch.mm 1024^3 fp32 GFLOP/s
(best of a few reps) is measured in the same process, as a reference for an MFU-like fraction; peak RSS is
resource.getrusage ru_maxrss.

Run with /usr/bin/python3 (Debian's python3-torch 1.13) and the anchor's best settings:
  OMP_WAIT_POLICY=PASSIVE [OPENBLAS_CORETYPE=SkylakeX only if /proc/cpuinfo lists avx512f] \\
      /usr/bin/python3 bench/pytorch/real_text_bench.py --batches BATCHES.jsonl --mode all --threads 2 --json out.json
Correctness check against the ONNX Runtime reference outputs shipped with the model:
  /usr/bin/python3 bench/pytorch/real_text_bench.py --check
"""

import argparse
import array
import json
import math
import os
import resource
import statistics
import struct
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

try:
    import numpy as np
except ImportError:  # torch.frombuffer fallback below
    np = None

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_MODEL = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "models", "minilm-l6-electra"))
LABELS = 28
SORTED_BATCH = 32
MODES = ("train", "fgm", "encode", "encode-sorted")
KIND = {"train": "train", "fgm": "train", "encode": "encode", "encode-sorted": "encode"}


# ============================================================================ model (HF modeling_electra semantics)

class Config:
    def __init__(self, d):
        self.vocab = d["vocab_size"]
        self.embedding = d.get("embedding_size", d["hidden_size"])
        self.hidden = d["hidden_size"]
        self.layers = d["num_hidden_layers"]
        self.heads = d["num_attention_heads"]
        self.intermediate = d["intermediate_size"]
        self.max_positions = d["max_position_embeddings"]
        self.type_vocab = d["type_vocab_size"]
        self.eps = d["layer_norm_eps"]
        self.pad = d.get("pad_token_id", 0)
        self.hidden_dropout = d.get("hidden_dropout_prob", 0.1)
        self.attention_dropout = d.get("attention_probs_dropout_prob", 0.1)
        self.classifier_dropout = d.get("classifier_dropout") or self.hidden_dropout
        self.initializer_range = d.get("initializer_range", 0.02)
        if d.get("hidden_act", "gelu") != "gelu":
            raise ValueError(f"hidden_act {d.get('hidden_act')} not supported (expected exact gelu)")
        if d.get("position_embedding_type", "absolute") != "absolute":
            raise ValueError("only absolute position embeddings are supported")
        if self.embedding != self.hidden:
            raise ValueError("embedding_size != hidden_size (embeddings_project) is not supported here")


class Embeddings(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.word_embeddings = nn.Embedding(c.vocab, c.embedding, padding_idx=c.pad)
        self.position_embeddings = nn.Embedding(c.max_positions, c.embedding)
        self.token_type_embeddings = nn.Embedding(c.type_vocab, c.embedding)
        self.LayerNorm = nn.LayerNorm(c.embedding, eps=c.eps)
        self.dropout = nn.Dropout(c.hidden_dropout)
        self.register_buffer("position_ids", torch.arange(c.max_positions).expand((1, -1)), persistent=False)

    def forward(self, input_ids, token_type_ids):
        t = input_ids.shape[1]
        x = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        x = x + self.position_embeddings(self.position_ids[:, :t])
        return self.dropout(self.LayerNorm(x))


class SelfAttention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.query = nn.Linear(c.hidden, c.hidden)
        self.key = nn.Linear(c.hidden, c.hidden)
        self.value = nn.Linear(c.hidden, c.hidden)
        self.dropout = nn.Dropout(c.attention_dropout)
        self.heads = c.heads
        self.head_size = c.hidden // c.heads
        self.hidden = c.hidden

    def split_heads(self, x):  # [B, T, H] -> [B, heads, T, d]
        b, t, _ = x.shape
        return x.view(b, t, self.heads, self.head_size).permute(0, 2, 1, 3)

    def forward(self, x, extended_mask):
        q, k, v = self.split_heads(self.query(x)), self.split_heads(self.key(x)), self.split_heads(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2))
        scores = scores / math.sqrt(self.head_size)
        scores = scores + extended_mask
        probs = self.dropout(F.softmax(scores, dim=-1))
        context = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return context.view(x.shape[0], x.shape[1], self.hidden)


class ResidualOutput(nn.Module):
    """ElectraSelfOutput / ElectraOutput: dense -> dropout -> LayerNorm(. + residual)."""

    def __init__(self, c, inputs):
        super().__init__()
        self.dense = nn.Linear(inputs, c.hidden)
        self.LayerNorm = nn.LayerNorm(c.hidden, eps=c.eps)
        self.dropout = nn.Dropout(c.hidden_dropout)

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        setattr(self, "self", SelfAttention(c))  # HF's name: attention.self.query ...
        self.output = ResidualOutput(c, c.hidden)

    def forward(self, x, extended_mask):
        return self.output(getattr(self, "self")(x, extended_mask), x)


class Intermediate(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.dense = nn.Linear(c.hidden, c.intermediate)

    def forward(self, x):
        return F.gelu(self.dense(x))  # exact erf GELU, ELECTRA's "gelu"


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.attention = Attention(c)
        self.intermediate = Intermediate(c)
        self.output = ResidualOutput(c, c.intermediate)

    def forward(self, x, extended_mask):
        h = self.attention(x, extended_mask)
        return self.output(self.intermediate(h), h)


class Encoder(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.layer = nn.ModuleList([Layer(c) for _ in range(c.layers)])


class Electra(nn.Module):
    """ElectraModel: returns the last hidden state [B, T, H]."""

    def __init__(self, c):
        super().__init__()
        self.embeddings = Embeddings(c)
        self.encoder = Encoder(c)

    def forward(self, input_ids, attention_mask, token_type_ids):
        # HF's extended mask: [B, 1, 1, T], 0 where attended, float32 min where padded.
        extended = attention_mask[:, None, None, :].to(torch.float32)
        extended = (1.0 - extended) * torch.finfo(torch.float32).min
        h = self.embeddings(input_ids, token_type_ids)
        for layer in self.encoder.layer:
            h = layer(h, extended)
        return h


class ClassificationHead(nn.Module):
    """ElectraClassificationHead: first token -> dropout -> dense -> GELU -> dropout -> out_proj."""

    def __init__(self, c, labels):
        super().__init__()
        self.dense = nn.Linear(c.hidden, c.hidden)
        self.dropout = nn.Dropout(c.classifier_dropout)
        self.out_proj = nn.Linear(c.hidden, labels)

    def forward(self, hidden):
        x = self.dropout(hidden[:, 0, :])
        x = self.dropout(F.gelu(self.dense(x)))
        return self.out_proj(x)


class ElectraForSequenceClassification(nn.Module):
    def __init__(self, c, labels=LABELS):
        super().__init__()
        self.electra = Electra(c)
        self.classifier = ClassificationHead(c, labels)
        for m in self.classifier.modules():  # HF _init_weights for the new head: normal(0, 0.02), zero bias
            if isinstance(m, nn.Linear):
                m.weight.data.normal_(0.0, c.initializer_range)
                m.bias.data.zero_()

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.classifier(self.electra(input_ids, attention_mask, token_type_ids))


# ============================================================================ checkpoint

_DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64}


def read_safetensors_header(path):
    with open(path, "rb") as f:
        (n,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(n))
    header.pop("__metadata__", None)
    return header, 8 + n


def load_electra_weights(electra, path):
    """Reads model.safetensors straight into the parameters of `electra` (an Electra module); strict on names/shapes."""
    header, data_start = read_safetensors_header(path)
    state = dict(electra.named_parameters())
    missing = sorted(set(state) - set(header))
    unexpected = sorted(set(header) - set(state))
    if missing or unexpected:
        raise KeyError(f"checkpoint mismatch: missing {missing}, unexpected {unexpected}")
    with open(path, "rb") as f, torch.no_grad():
        for name, meta in header.items():
            p = state[name]
            begin, end = meta["data_offsets"]
            if list(p.shape) != list(meta["shape"]):
                raise ValueError(f"{name}: checkpoint shape {meta['shape']} != model shape {list(p.shape)}")
            dtype = _DTYPES[meta["dtype"]]
            f.seek(data_start + begin)
            if dtype == torch.float32 and np is not None and p.is_contiguous():
                view = p.data.numpy().reshape(-1).view(np.uint8)  # read in place: no second copy of the model
                if f.readinto(view) != end - begin:
                    raise IOError(f"{name}: short read")
            else:
                buf = bytearray(f.read(end - begin))
                p.copy_(torch.frombuffer(buf, dtype=dtype).view(p.shape).to(p.dtype))
    return sorted(header)


def build_model(model_dir, seed):
    with open(os.path.join(model_dir, "config.json")) as f:
        c = Config(json.load(f))
    torch.manual_seed(seed)
    model = ElectraForSequenceClassification(c)
    load_electra_weights(model.electra, os.path.join(model_dir, "model.safetensors"))
    return model, c


# ============================================================================ batches

def read_batches(path, kind, limit=None):
    """The file's batches of `kind` (ids as compact arrays), at most `limit` of them."""
    out = []
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line:
                continue
            b = json.loads(line)
            if b.get("kind") != kind:
                continue
            ids = [array.array("l", s) for s in b["input_ids"]]
            if any(len(s) == 0 for s in ids):
                raise ValueError("empty sequence in the batches file")
            labels = None
            if kind == "train":
                labels = torch.tensor(b["labels"], dtype=torch.float32)
                if labels.shape != (len(ids), LABELS):
                    raise ValueError(f"labels shape {tuple(labels.shape)}, expected ({len(ids)}, {LABELS})")
            out.append((ids, labels))
            if limit is not None and len(out) >= limit:
                break
    return out


def kinds_in(path):
    with open(path) as f:
        return {json.loads(line).get("kind") for line in f if line.strip()}


def pad(seqs, pad_id=0):
    """Dynamic padding to the batch's longest, as DataCollatorWithPadding does: (input_ids, attention_mask, types)."""
    t = max(len(s) for s in seqs)
    ids = [list(s) + [pad_id] * (t - len(s)) for s in seqs]
    mask = [[1] * len(s) + [0] * (t - len(s)) for s in seqs]
    ids, mask = torch.tensor(ids, dtype=torch.long), torch.tensor(mask, dtype=torch.long)
    return ids, mask, torch.zeros_like(ids)


# ============================================================================ workloads

def linear_schedule(warmup_steps, total_steps):
    """transformers.get_linear_schedule_with_warmup's lambda."""
    def f(step):
        if step < warmup_steps:
            return float(step) / float(max(1, warmup_steps))
        return max(0.0, float(total_steps - step) / float(max(1, total_steps - warmup_steps)))
    return f


class Fgm:
    """The common PyTorch FGM recipe, matrix form, on the word embedding matrix only."""

    def __init__(self, model, eps=1.0, target="electra.embeddings.word_embeddings.weight"):
        self.param = dict(model.named_parameters())[target]
        self.eps = eps
        self.backup = None

    def attack(self):
        g = self.param.grad
        if g is None:
            return
        norm = torch.norm(g)
        if norm != 0 and torch.isfinite(norm):
            self.backup = self.param.data.clone()  # a copy, not a reference
            self.param.data.add_(self.eps * g / norm)

    def restore(self):
        if self.backup is not None:
            self.param.data = self.backup
            self.backup = None


def sgemm_gflops(n=1024, warmup=2, reps=8):
    a, b = torch.randn(n, n), torch.randn(n, n)
    best = float("inf")
    for i in range(warmup + reps):
        t0 = time.perf_counter()
        torch.mm(a, b)
        dt = time.perf_counter() - t0
        if i >= warmup:
            best = min(best, dt)
    return 2.0 * n ** 3 / best / 1e9


def blas_libraries():
    """The BLAS/MKL shared libraries mapped into this process (call after a torch.mm): Debian's torch uses whatever
    libblas.so.3 points to, and the netlib reference BLAS (libblas3 alone, no libopenblas0) is far slower than OpenBLAS."""
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1] if len(line.split()) >= 6 else ""
                base = os.path.basename(path).lower()
                if "blas" in base or "mkl" in base:
                    libs.add(os.path.realpath(path))
    except OSError:
        pass
    return sorted(libs)


def warn_if_reference_blas(libs):
    if libs and not any("openblas" in l.lower() or "mkl" in l.lower() or "blis" in l.lower() for l in libs):
        print(f"warning: no optimised BLAS loaded ({', '.join(libs)}); this looks like the netlib reference BLAS. "
              "Install OpenBLAS (Debian: libopenblas0-pthread) for a fair anchor", file=sys.stderr)


def peak_rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6  # ru_maxrss is KiB on Linux; MB = 1e6 B


def make_train_step(model, mode, total_steps):
    no_decay = ("bias", "LayerNorm.weight")
    named = list(model.named_parameters())
    groups = [
        {"params": [p for n, p in named if not any(nd in n for nd in no_decay)], "weight_decay": 0.01},
        {"params": [p for n, p in named if any(nd in n for nd in no_decay)], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(groups, lr=5e-5, eps=1e-6)
    scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, linear_schedule(int(0.1 * total_steps), total_steps))
    loss_fn = nn.BCEWithLogitsLoss()
    fgm = Fgm(model, eps=1.0) if mode == "fgm" else None
    params = [p for _, p in named]
    model.train()

    def step(batch):
        seqs, labels = batch
        ids, mask, types = pad(seqs)
        loss = loss_fn(model(ids, mask, types), labels)
        loss.backward()
        if fgm is not None:
            fgm.attack()
            adv = loss_fn(model(ids, mask, types), labels)
            adv.backward()
            fgm.restore()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimizer.step()
        scheduler.step()
        optimizer.zero_grad(set_to_none=True)
        return float(loss), ids.numel()

    return step


def mean_pool(hidden, mask):
    m = mask.unsqueeze(-1).to(hidden.dtype)
    return (hidden * m).sum(1) / torch.clamp(m.sum(1), min=1e-9)


def encode_batch(electra, seqs):
    ids, mask, types = pad(seqs)
    with torch.no_grad():
        return mean_pool(electra(ids, mask, types), mask), ids.numel()


def run_mode(mode, args):
    torch.set_num_threads(args.threads)
    kind = KIND[mode]
    limit = None if args.max_batches is None else max(args.max_batches, args.warmup)
    if mode == "encode-sorted":
        limit = args.max_batches  # the texts of the first max-batches file batches, re-batched below
    batches = read_batches(args.batches, kind, limit)
    if not batches:
        raise SystemExit(f"no '{kind}' batches in {args.batches}")
    model, _ = build_model(args.model, args.seed)
    gflops = sgemm_gflops()
    blas = blas_libraries()
    if not args.child:
        warn_if_reference_blas(blas)

    if mode == "encode-sorted":
        file_batches = batches if args.max_batches is None else batches[:args.max_batches]
        texts = [s for seqs, _ in file_batches for s in seqs]
        del batches, file_batches
        timed = None
    else:
        timed = batches if args.max_batches is None else batches[:args.max_batches]

    sink = 0.0
    if mode in ("train", "fgm"):
        total_steps = args.warmup + args.rounds * len(timed)
        step = make_train_step(model, mode, total_steps)
    else:
        model.eval()
        electra = model.electra

    def sorted_pass():
        t0 = time.perf_counter()
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))  # sentence-transformers: longest first
        outs, times, padded = [], [], 0
        for start in range(0, len(order), SORTED_BATCH):
            s0 = time.perf_counter()
            pooled, n = encode_batch(electra, [texts[i] for i in order[start:start + SORTED_BATCH]])
            outs.append(pooled)
            times.append(time.perf_counter() - s0)
            padded += n
        result = torch.empty(len(texts), outs[0].shape[1])
        result[torch.tensor(order)] = torch.cat(outs)  # back to input order
        return result, time.perf_counter() - t0, times, padded

    # ---- warm-up (untimed)
    print(f"[{mode}] {args.warmup} warm-up batches ...", flush=True)
    if mode == "encode-sorted":
        order = sorted(range(len(texts)), key=lambda i: -len(texts[i]))
        for w in range(args.warmup):
            sel = order[w * SORTED_BATCH:(w + 1) * SORTED_BATCH]
            if sel:
                sink += float(encode_batch(electra, [texts[i] for i in sel])[0][0, 0])
    else:
        for b in batches[:args.warmup]:
            if mode == "encode":
                sink += float(encode_batch(electra, b[0])[0][0, 0])
            else:
                sink += step(b)[0]

    # ---- timed rounds
    if mode == "encode-sorted":
        real = sum(len(s) for s in texts)
        n_batches = (len(texts) + SORTED_BATCH - 1) // SORTED_BATCH
    else:
        real = sum(len(s) for seqs, _ in timed for s in seqs)
        n_batches = len(timed)
    round_seconds, step_ms, padded = [], [], 0
    for r in range(args.rounds):
        if mode == "encode-sorted":
            result, secs, times, padded = sorted_pass()
            sink += float(result.sum())
        else:
            times, padded, outs = [], 0, []
            t0 = time.perf_counter()
            for b in timed:
                s0 = time.perf_counter()
                if mode == "encode":
                    pooled, n = encode_batch(electra, b[0])
                    outs.append(pooled)  # kept, so the work isn't thrown away
                else:
                    loss, n = step(b)
                    sink += loss
                times.append(time.perf_counter() - s0)
                padded += n
            if mode == "encode":
                result = torch.cat(outs)
                sink += float(result.sum())
            secs = time.perf_counter() - t0
        round_seconds.append(secs)
        step_ms.extend(t * 1e3 for t in times)
        print(f"[{mode}] round {r + 1}/{args.rounds}: {secs:.2f} s, {real / secs:.1f} real tok/s", flush=True)

    rates = [real / s for s in round_seconds]
    res = {
        "engine": "pytorch", "mode": mode, "batches": n_batches, "real_tokens": real, "padded_tokens": padded,
        "seconds": statistics.median(round_seconds), "real_tokens_per_s": statistics.median(rates),
        "median_step_ms": statistics.median(step_ms), "peak_rss_mb": peak_rss_mb(), "sgemm_gflops": gflops,
        "torch": torch.__version__, "threads": torch.get_num_threads(), "rounds": rates,
        "round_seconds": round_seconds, "warmup_batches": args.warmup, "environment": environment(),
        "blas": blas,
        "sink": sink,
    }
    print_summary(res)
    return res


def print_summary(r):
    print(f"[{r['mode']}] pytorch {r['torch']}, {r['threads']} threads: {r['batches']} batches, "
          f"{r['real_tokens']} real tokens ({r['padded_tokens']} padded), {r['seconds']:.2f} s, "
          f"{r['real_tokens_per_s']:.1f} real tok/s, median step {r['median_step_ms']:.1f} ms, "
          f"peak RSS {r['peak_rss_mb']:.0f} MB, sgemm {r['sgemm_gflops']:.1f} GFLOP/s", flush=True)


# ============================================================================ check

def run_check(args):
    torch.set_num_threads(args.threads)
    model, _ = build_model(args.model, args.seed)
    header, _ = read_safetensors_header(os.path.join(args.model, "model.safetensors"))
    torch.mm(torch.ones(64, 64), torch.ones(64, 64))
    print(f"blas: {', '.join(blas_libraries()) or '?'}")
    print(f"checkpoint: {len(header)} tensors, e.g. {', '.join(sorted(header)[:3])} ...")
    with open(os.path.join(args.model, "reference_outputs.json")) as f:
        ref = json.load(f)
    ids = torch.tensor(ref["input_ids"], dtype=torch.long)
    mask = torch.tensor(ref["attention_mask"], dtype=torch.long)
    types = torch.tensor(ref["token_type_ids"], dtype=torch.long)
    expected = torch.tensor(ref["last_hidden_state"], dtype=torch.float32)
    model.eval()
    with torch.no_grad():
        got = model.electra(ids, mask, types)
    real = mask.bool()
    diff = (got[real] - expected[real]).abs().max().item()
    print(f"check: last_hidden_state {tuple(got.shape)} vs reference at {int(real.sum())} real tokens: "
          f"max abs difference {diff:.3e}")
    if not diff <= 1e-4:
        print("check FAILED (> 1e-4)", file=sys.stderr)
        sys.exit(1)
    print("check OK")


# ============================================================================ main

def environment():
    names = ("OMP_WAIT_POLICY", "OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
    set_ = [f"{k}={os.environ[k]}" for k in names if k in os.environ]
    return " ".join(set_) if set_ else "(no BLAS/OpenMP variables set)"


def has_avx512f():
    try:
        with open("/proc/cpuinfo") as f:
            return any(line.startswith("flags") and "avx512f" in line.split() for line in f)
    except OSError:
        return False


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--batches", help="JSON-lines batches file written by the Java harness")
    p.add_argument("--mode", default="all", choices=("all",) + MODES)
    p.add_argument("--model", default=DEFAULT_MODEL, help=f"model directory (default {DEFAULT_MODEL})")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--warmup", type=int, default=3, help="untimed batches first (default 3)")
    p.add_argument("--max-batches", type=int, help="time at most this many batches (default all)")
    p.add_argument("--rounds", type=int, default=1, help="timed passes; the median is reported (default 1)")
    p.add_argument("--json", help="write the results here (a list with --mode all)")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--check", action="store_true",
                   help="compare the last hidden state with reference_outputs.json and exit (non-zero above 1e-4)")
    p.add_argument("--no-fork", action="store_true", help="with --mode all, run every workload in this process")
    p.add_argument("--child", action="store_true", help=argparse.SUPPRESS)  # set by --mode all for its children
    args = p.parse_args()
    if args.rounds < 1 or args.warmup < 0 or (args.max_batches is not None and args.max_batches < 1):
        p.error("--rounds and --max-batches must be >= 1, --warmup >= 0")

    if args.child:
        pass  # the parent has printed the environment warnings
    elif os.environ.get("OMP_WAIT_POLICY", "").upper() != "PASSIVE":
        print("warning: OMP_WAIT_POLICY=PASSIVE is not set; it is part of the anchor's best settings "
              "(PyTorch runs markedly slower on 2 cores without it)", file=sys.stderr)
    if not args.child and has_avx512f() and "OPENBLAS_CORETYPE" not in os.environ:
        print("note: this CPU lists avx512f; the anchor's best settings add OPENBLAS_CORETYPE=SkylakeX",
              file=sys.stderr)

    if args.check:
        run_check(args)
        return
    if not args.batches:
        p.error("--batches is required (unless --check)")

    if args.mode != "all":
        res = run_mode(args.mode, args)
        if args.json:
            with open(args.json, "w") as f:
                json.dump(res, f, indent=2)
        return

    kinds = kinds_in(args.batches)
    results = []
    for m in MODES:
        if KIND[m] not in kinds:
            print(f"[{m}] skipped: no '{KIND[m]}' batches in {args.batches}", flush=True)
            continue
        if args.no_fork:
            results.append(run_mode(m, args))
            continue
        with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
            out = tmp.name
        try:
            cmd = [sys.executable, os.path.abspath(__file__), "--mode", m, "--batches", args.batches,
                   "--model", args.model, "--threads", str(args.threads), "--warmup", str(args.warmup),
                   "--rounds", str(args.rounds), "--seed", str(args.seed), "--json", out, "--child"]
            if args.max_batches is not None:
                cmd += ["--max-batches", str(args.max_batches)]
            subprocess.run(cmd, check=True)
            with open(out) as f:
                results.append(json.load(f))
        finally:
            os.unlink(out)
    if results:
        warn_if_reference_blas(results[0].get("blas"))
    print("\nsummary:")
    for r in results:
        print_summary(r)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(results, f, indent=2)


if __name__ == "__main__":
    main()
