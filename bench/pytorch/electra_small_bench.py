#!/usr/bin/env python3
"""PyTorch anchor for Elektron's end-to-end benchmark (io.elektron.bench.EndToEndBench).

Plain PyTorch, no `transformers`: the same ELECTRA-small-sized classifier with HuggingFace ELECTRA semantics
(word + position + token-type embeddings -> LayerNorm -> dropout -> embeddings_project 128 -> 256; 12 post-LN layers
with exact (erf) GELU; classification head dense -> GELU -> out_proj on the first token), random init, and the same three
workloads measured the same way as the Java harness:

  inference  batch 32 x 128, eval mode, no grad
  training   batch 16 x 128: forward, BCE-with-logits, backward, AdamW step, zero grads
  fgm        the training step with FGM (matrix form, eps 1): perturb word_embeddings.weight by eps * g / ||g||,
             second forward + backward, restore, then the optimizer step

Reports the median step time, tokens/s, MFU against torch.mm 1024^3 measured in the same run, and peak RSS
(resource.getrusage ru_maxrss). With several workloads each runs in its own process, so each peak RSS is that
workload's own. The JSON it writes (--json) has the field names of the Java harness's, for run-comparison.sh.

Run with /usr/bin/python3 (Debian's python3-torch 1.13) and the anchor's best settings:
  OMP_WAIT_POLICY=PASSIVE [OPENBLAS_CORETYPE=SkylakeX only if /proc/cpuinfo lists avx512f] \\
      /usr/bin/python3 bench/pytorch/electra_small_bench.py --mode all --threads 2
"""

import argparse
import datetime
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

VOCAB, EMBEDDING, HIDDEN, LAYERS, HEADS, INTERMEDIATE = 30522, 128, 256, 12, 4, 1024
LABELS, MAX_POSITIONS, TYPE_VOCAB, SEQ = 28, 512, 2, 128
WORKLOADS = {  # name -> (batch, forward multiple: model FLOPs of one step in units of one forward)
    "inference": (32, 1),
    "training": (16, 3),
    "fgm": (16, 6),
}


# ============================================================================ model (HF modeling_electra semantics)

class Embeddings(nn.Module):
    def __init__(self, eps=1e-12):
        super().__init__()
        self.word_embeddings = nn.Embedding(VOCAB, EMBEDDING, padding_idx=0)
        self.position_embeddings = nn.Embedding(MAX_POSITIONS, EMBEDDING)
        self.token_type_embeddings = nn.Embedding(TYPE_VOCAB, EMBEDDING)
        self.LayerNorm = nn.LayerNorm(EMBEDDING, eps=eps)
        self.dropout = nn.Dropout(0.1)
        self.register_buffer("position_ids", torch.arange(MAX_POSITIONS).expand((1, -1)))

    def forward(self, input_ids, token_type_ids):
        t = input_ids.shape[1]
        x = self.word_embeddings(input_ids) + self.token_type_embeddings(token_type_ids)
        x = x + self.position_embeddings(self.position_ids[:, :t])
        return self.dropout(self.LayerNorm(x))


class SelfAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.query = nn.Linear(HIDDEN, HIDDEN)
        self.key = nn.Linear(HIDDEN, HIDDEN)
        self.value = nn.Linear(HIDDEN, HIDDEN)
        self.dropout = nn.Dropout(0.1)
        self.head_size = HIDDEN // HEADS

    def split_heads(self, x):  # [B, T, H] -> [B, heads, T, d]
        b, t, _ = x.shape
        return x.view(b, t, HEADS, self.head_size).permute(0, 2, 1, 3)

    def forward(self, x, extended_mask):
        q, k, v = self.split_heads(self.query(x)), self.split_heads(self.key(x)), self.split_heads(self.value(x))
        scores = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.head_size) + extended_mask
        probs = self.dropout(F.softmax(scores, dim=-1))
        context = torch.matmul(probs, v).permute(0, 2, 1, 3).contiguous()
        return context.view(x.shape[0], x.shape[1], HIDDEN)


class ResidualOutput(nn.Module):
    """ElectraSelfOutput / ElectraOutput: dense -> dropout -> LayerNorm(. + residual)."""

    def __init__(self, inputs):
        super().__init__()
        self.dense = nn.Linear(inputs, HIDDEN)
        self.LayerNorm = nn.LayerNorm(HIDDEN, eps=1e-12)
        self.dropout = nn.Dropout(0.1)

    def forward(self, x, residual):
        return self.LayerNorm(self.dropout(self.dense(x)) + residual)


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        setattr(self, "self", SelfAttention())  # HF's name: attention.self.query ...
        self.output = ResidualOutput(HIDDEN)

    def forward(self, x, extended_mask):
        return self.output(getattr(self, "self")(x, extended_mask), x)


class Intermediate(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(HIDDEN, INTERMEDIATE)

    def forward(self, x):
        return F.gelu(self.dense(x))  # exact erf GELU, ELECTRA's "gelu"


class Layer(nn.Module):
    def __init__(self):
        super().__init__()
        self.attention = Attention()
        self.intermediate = Intermediate()
        self.output = ResidualOutput(INTERMEDIATE)

    def forward(self, x, extended_mask):
        h = self.attention(x, extended_mask)
        return self.output(self.intermediate(h), h)


class Encoder(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.layer = nn.ModuleList([Layer() for _ in range(layers)])


class Electra(nn.Module):
    def __init__(self, layers):
        super().__init__()
        self.embeddings = Embeddings()
        self.embeddings_project = nn.Linear(EMBEDDING, HIDDEN)
        self.encoder = Encoder(layers)

    def forward(self, input_ids, attention_mask, token_type_ids):
        # HF's extended mask: [B, 1, 1, T], 0 where attended, float32 min where padded.
        extended = (1.0 - attention_mask[:, None, None, :].to(torch.float32)) * torch.finfo(torch.float32).min
        h = self.embeddings_project(self.embeddings(input_ids, token_type_ids))
        for layer in self.encoder.layer:
            h = layer(h, extended)
        return h


class ClassificationHead(nn.Module):
    """ElectraClassificationHead: first token -> dropout -> dense -> GELU -> dropout -> out_proj."""

    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(HIDDEN, HIDDEN)
        self.dropout = nn.Dropout(0.1)
        self.out_proj = nn.Linear(HIDDEN, LABELS)

    def forward(self, hidden):
        x = self.dropout(hidden[:, 0, :])
        x = self.dropout(F.gelu(self.dense(x)))
        return self.out_proj(x)


class ElectraForSequenceClassification(nn.Module):
    def __init__(self, layers=LAYERS):
        super().__init__()
        self.electra = Electra(layers)
        self.classifier = ClassificationHead()
        self.apply(self._init_weights)

    @staticmethod
    def _init_weights(m):  # HF: normal(0, initializer_range) weights, zero biases, LayerNorm (1, 0), zero padding row
        if isinstance(m, nn.Linear):
            m.weight.data.normal_(0.0, 0.02)
            m.bias.data.zero_()
        elif isinstance(m, nn.Embedding):
            m.weight.data.normal_(0.0, 0.02)
            if m.padding_idx is not None:
                m.weight.data[m.padding_idx].zero_()
        elif isinstance(m, nn.LayerNorm):
            m.weight.data.fill_(1.0)
            m.bias.data.zero_()

    def forward(self, input_ids, attention_mask, token_type_ids):
        return self.classifier(self.electra(input_ids, attention_mask, token_type_ids))


class Fgm:
    """The common PyTorch FGM recipe, matrix form, on word_embeddings.weight only (chosen by its exact name)."""

    def __init__(self, model, eps=1.0, target="electra.embeddings.word_embeddings.weight"):
        self.param = dict(model.named_parameters())[target]
        self.eps = eps
        self.backup = None

    def attack(self):
        g = self.param.grad
        norm = torch.norm(g)
        if norm != 0 and not torch.isnan(norm):
            self.backup = self.param.data.clone()  # a copy, not a reference
            self.param.data.add_(self.eps * g / norm)

    def restore(self):
        if self.backup is not None:
            self.param.data = self.backup
            self.backup = None


# ============================================================================ measurement

def non_embedding_params(model):
    tables = ("word_embeddings.weight", "position_embeddings.weight", "token_type_embeddings.weight")
    return sum(p.numel() for n, p in model.named_parameters() if not n.endswith(tables))


def sgemm_gflops(n=1024, warmup=5, reps=30):
    """(best, median) GFLOP/s of torch.mm n^3; the best is the MFU reference, as in the Java harness (SgemmRate)."""
    a, b = torch.randn(n, n), torch.randn(n, n)
    times = []
    for i in range(warmup + reps):
        t0 = time.perf_counter()
        torch.mm(a, b)
        dt = time.perf_counter() - t0
        if i >= warmup:
            times.append(dt)
    return 2.0 * n ** 3 / min(times) / 1e9, 2.0 * n ** 3 / statistics.median(times) / 1e9


def proc_status_mb(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field):
                return int(line.split()[1]) * 1024 / 1e6
    return -1.0


def run_workload(name, args, peak_gflops):
    torch.manual_seed(args.seed)
    batch, forward_multiple = WORKLOADS[name]
    model = ElectraForSequenceClassification(args.layers)
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=0.01)
    fgm = Fgm(model, eps=1.0)
    ids = torch.randint(1, VOCAB, (batch, SEQ))
    mask = torch.ones(batch, SEQ, dtype=torch.long)
    types = torch.zeros(batch, SEQ, dtype=torch.long)
    targets = (torch.rand(batch, LABELS) < 0.1).float()
    sink = 0.0

    def step():
        nonlocal sink
        if name == "inference":
            model.eval()
            with torch.no_grad():
                logits = model(ids, mask, types)
            sink += float(logits[0, 0])
            return
        model.train()
        loss = F.binary_cross_entropy_with_logits(model(ids, mask, types), targets)
        loss.backward()
        if name == "fgm":
            fgm.attack()
            adv = F.binary_cross_entropy_with_logits(model(ids, mask, types), targets)
            adv.backward()
            fgm.restore()
        optimizer.step()
        optimizer.zero_grad()
        sink += float(loss)

    print(f"[{name}] {batch} x {SEQ}, {args.warmup} warm-up + {args.iters} measured steps ...", flush=True)
    for _ in range(args.warmup):
        step()
    rss_after_warmup = proc_status_mb("VmRSS:")
    usage0 = resource.getrusage(resource.RUSAGE_SELF)
    times = []
    for i in range(args.iters):
        t0 = time.perf_counter()
        step()
        times.append((time.perf_counter() - t0) * 1e3)
        if args.verbose:
            print(f"[{name}] step {i + 1}: {times[-1]:.1f} ms", flush=True)
    usage1 = resource.getrusage(resource.RUSAGE_SELF)
    rss_end = proc_status_mb("VmRSS:")

    profile = None
    if args.profile and name == "training":
        profile = profile_training(step)

    n = non_embedding_params(model)
    median = statistics.median(times)
    tokens = batch * SEQ
    tokens_per_s = tokens / (median / 1e3)
    flops_per_token = forward_multiple * (2.0 * n + 4.0 * args.layers * HIDDEN * SEQ)
    gflops = tokens_per_s * flops_per_token / 1e9
    print(f"[{name}] median {median:.1f} ms, {tokens_per_s:.1f} tok/s (sink {sink:.3g})", flush=True)
    return {
        "workload": name, "batch": batch, "seq": SEQ, "tokens_per_step": tokens, "warmup_steps": args.warmup,
        "step_ms": times, "median_ms": median, "min_ms": min(times), "max_ms": max(times),
        "tokens_per_s": tokens_per_s, "flops_per_token": flops_per_token, "achieved_gflops": gflops,
        "mfu": gflops / peak_gflops,
        # ru_maxrss is in KiB on Linux; MB = 1e6 bytes, as the Java harness reports.
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1e6,
        "rss_after_warmup_mb": rss_after_warmup, "rss_end_mb": rss_end, "gc_ms": 0.0,
        "user_cpu_ms_per_step": (usage1.ru_utime - usage0.ru_utime) * 1e3 / args.iters,
        "sys_cpu_ms_per_step": (usage1.ru_stime - usage0.ru_stime) * 1e3 / args.iters,
        "minor_faults_per_step": (usage1.ru_minflt - usage0.ru_minflt) / args.iters,
        "profile": profile,
    }


def profile_training(step, steps=3):
    """torch.autograd.profiler over a few training steps: self CPU time per op, for comparison with Elektron's."""
    with torch.autograd.profiler.profile() as prof:
        for _ in range(steps):
            step()
    rows = []
    for e in sorted(prof.key_averages(), key=lambda e: -e.self_cpu_time_total)[:25]:
        rows.append({"section": e.key, "calls_per_step": e.count // steps, "forward_ms": e.self_cpu_time_total / 1e3 / steps,
                     "backward_ms": 0.0, "percent_of_step": float("nan"), "gflops": float("nan")})
    return rows


def cpu_info():
    model, avx512f = "unknown", False
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name") and model == "unknown":
                    model = line.split(":", 1)[1].strip()
                if line.startswith("flags"):
                    avx512f = avx512f or "avx512f" in line.split()
    except OSError:
        pass
    return model, avx512f


def environment():
    names = ("OMP_WAIT_POLICY", "OPENBLAS_CORETYPE", "OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")
    set_ = [f"{k}={os.environ[k]}" for k in names if k in os.environ]
    return " ".join(set_) if set_ else "(no BLAS/OpenMP variables set)"


def load_average():
    try:
        with open("/proc/loadavg") as f:
            return " ".join(f.read().split()[:3])
    except OSError:
        return "?"


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--mode", default="all", help="all, or a comma list of inference, training, fgm")
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--iters", type=int, default=10)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--layers", type=int, default=LAYERS)
    p.add_argument("--json", help="write the results here")
    p.add_argument("--profile", action="store_true", help="torch.autograd.profiler table of the training step")
    p.add_argument("--no-fork", action="store_true", help="run every workload in this process")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--verbose", action="store_true")
    p.add_argument("--peak-gflops", type=float, help=argparse.SUPPRESS)  # set by the parent for its children
    args = p.parse_args()
    modes = list(WORKLOADS) if args.mode == "all" else args.mode.split(",")
    for m in modes:
        if m not in WORKLOADS:
            p.error(f"unknown workload '{m}' (expected inference, training or fgm)")

    torch.set_num_threads(args.threads)
    if os.environ.get("OMP_WAIT_POLICY", "").upper() != "PASSIVE":
        print("note: OMP_WAIT_POLICY=PASSIVE is not set; PyTorch runs ~30% slower on 2 cores without it",
              file=sys.stderr)
    load_before = load_average()
    peak, sgemm_median = (args.peak_gflops, float("nan")) if args.peak_gflops else sgemm_gflops()

    results = {}
    for m in modes:
        if len(modes) > 1 and not args.no_fork:
            with tempfile.NamedTemporaryFile(suffix=".json", delete=False) as tmp:
                out = tmp.name
            try:
                cmd = [sys.executable, os.path.abspath(__file__), "--mode", m, "--warmup", str(args.warmup),
                       "--iters", str(args.iters), "--threads", str(args.threads), "--layers", str(args.layers),
                       "--seed", str(args.seed), "--peak-gflops", repr(peak), "--json", out]
                if args.profile:
                    cmd.append("--profile")
                if args.verbose:
                    cmd.append("--verbose")
                subprocess.run(cmd, check=True)
                with open(out) as f:
                    results[m] = json.load(f)
            finally:
                os.unlink(out)
        else:
            results[m] = run_workload(m, args, peak)

    if args.peak_gflops and len(modes) == 1 and args.json:  # a child: only its own result
        with open(args.json, "w") as f:
            json.dump(results[modes[0]], f, indent=2)
        return

    probe = ElectraForSequenceClassification(args.layers)
    cpu, avx512f = cpu_info()
    report = {
        "engine": "pytorch", "engine_detail": f"torch {torch.__version__}, {torch.get_num_threads()} threads, "
                                              f"Python {sys.version.split()[0]}",
        "date": datetime.date.today().isoformat(), "cpu": cpu, "avx512f": avx512f, "threads": args.threads,
        "environment": environment(), "load_average": f"{load_before} -> {load_average()}", "sgemm_gflops": peak, "sgemm_median_gflops": sgemm_median,
        "parameters": sum(p.numel() for p in probe.parameters()), "non_embedding_params": non_embedding_params(probe),
        "layers": args.layers, "hidden": HIDDEN, "workloads": results,
    }
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)
    print_report(report)


def cores_busy(w):
    """Cores kept busy on average during a step: (user + system CPU time) / mean wall time."""
    return (w["user_cpu_ms_per_step"] + w["sys_cpu_ms_per_step"]) / statistics.mean(w["step_ms"])


def print_report(r):
    print(f"\nPyTorch end-to-end: ELECTRA classifier, random init, {r['layers']} layers, hidden {r['hidden']}, "
          f"{r['parameters'] / 1e6:.2f} M parameters (N = {r['non_embedding_params'] / 1e6:.2f} M non-embedding)")
    print(f"cpu: {r['cpu']}{' (avx512f)' if r['avx512f'] else ''}, {r['threads']} threads, {r['engine_detail']}")
    print(f"environment: {r['environment']}; load average (1, 5, 15 min) {r['load_average']}")
    print(f"MFU reference: torch.mm 1024^3 measured in this run: best {r['sgemm_gflops']:.1f} GFLOP/s "
          f"(median {r['sgemm_median_gflops']:.1f})\n")
    print(f"{'workload':<10} {'batch':>7} {'median ms':>10} {'(min - max)':>19} {'tok/s':>8} {'GFLOP/s':>8} {'MFU':>6} "
          f"{'peak RSS':>9} {'RSS drift':>9} {'user ms':>9} {'sys ms':>9} {'cores':>6} {'faults':>9}")
    for w in r["workloads"].values():
        rng = f"({w['min_ms']:.1f} - {w['max_ms']:.1f})"
        print(f"{w['workload']:<10} {str(w['batch']) + 'x' + str(w['seq']):>7} {w['median_ms']:>10.1f} {rng:>19} "
              f"{w['tokens_per_s']:>8.1f} {w['achieved_gflops']:>8.1f} {100 * w['mfu']:>5.1f}% "
              f"{w['peak_rss_mb']:>6.0f} MB {w['rss_end_mb'] - w['rss_after_warmup_mb']:>6.0f} MB "
              f"{w['user_cpu_ms_per_step']:>9.0f} {w['sys_cpu_ms_per_step']:>9.0f} {cores_busy(w):>6.2f} "
              f"{w['minor_faults_per_step']:>9.0f}")
    w = r["workloads"]
    if "training" in w and "fgm" in w:
        print(f"FGM step / clean step: {w['fgm']['median_ms'] / w['training']['median_ms']:.2f}")
    for v in w.values():
        if v.get("profile"):
            print(f"\ntorch.autograd.profiler, {v['workload']} step, self CPU ms per step (top 25):")
            for row in v["profile"]:
                print(f"  {row['section']:<45} {row['calls_per_step']:>5} {row['forward_ms']:>9.1f}")


if __name__ == "__main__":
    main()
