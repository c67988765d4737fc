#!/usr/bin/env python3
"""Seed 004's DCGAN in plain PyTorch on the CPU: the reference figure for DcganBenchmark.

Same model, loss, optimisers and batch as the Java benchmark: G = Linear(100, 256*7*7),
Unflatten, ConvT(256, 128, 4, 2, 1, bias=False), BN, ReLU, ConvT(128, 1, 4, 2, 1, bias=False),
Tanh; D = three stride-2 4x4 convolutions (no bias) with LeakyReLU(0.2) and BN on the last two,
Flatten, Linear(2304, 1); BCEWithLogits; Adam(2e-4, betas (0.5, 0.999)) for both. The step is
the usual one: one G forward shared by the D step (detached) and the G step.

Data: Fashion-MNIST read from the gzipped IDX files with gzip + torch.frombuffer (no numpy
needed), scaled to [-1, 1]; synthetic uniform noise images when the files are absent.

Prints one parseable line at the end:
    RESULT pytorch images_per_s=<float> steps=<int> batch=<int> seconds=<float> cpu_seconds=<float> threads=<int>

With --serve it builds everything, prints READY, then reads commands from standard input so a
caller can interleave it with other variants on a busy machine: "run N" trains N steps and
prints "CHUNK steps=N seconds=<float> cpu_seconds=<float>"; "quit" (or end of input) exits.
"""
import argparse
import gzip
import os
import struct
import sys
import time

import torch
import torch.nn as nn


def load_images(folder, limit):
    path = os.path.join(folder, "train-images-idx3-ubyte.gz")
    if not os.path.exists(path):
        return None
    with gzip.open(path, "rb") as f:
        raw = f.read()
    magic, count, rows, cols = struct.unpack(">IIII", raw[:16])
    if magic != 0x803:
        raise SystemExit("bad IDX magic in " + path)
    count = min(count, limit)
    pixels = torch.frombuffer(bytearray(raw[16:16 + count * rows * cols]), dtype=torch.uint8)
    return pixels.view(count, 1, rows, cols).float().div_(127.5).sub_(1.0)


def build():
    g = nn.Sequential(
        nn.Linear(100, 256 * 7 * 7),
        nn.Unflatten(1, (256, 7, 7)),
        nn.ConvTranspose2d(256, 128, 4, 2, 1, bias=False),
        nn.BatchNorm2d(128),
        nn.ReLU(),
        nn.ConvTranspose2d(128, 1, 4, 2, 1, bias=False),
        nn.Tanh(),
    )
    d = nn.Sequential(
        nn.Conv2d(1, 64, 4, 2, 1, bias=False),
        nn.LeakyReLU(0.2),
        nn.Conv2d(64, 128, 4, 2, 1, bias=False),
        nn.BatchNorm2d(128),
        nn.LeakyReLU(0.2),
        nn.Conv2d(128, 256, 4, 2, 1, bias=False),
        nn.BatchNorm2d(256),
        nn.LeakyReLU(0.2),
        nn.Flatten(),
        nn.Linear(256 * 3 * 3, 1),
    )
    return g, d


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--steps", type=int, default=100)
    ap.add_argument("--warmup", type=int, default=30)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--serve", action="store_true", help="take 'run N' commands on standard input")
    args = ap.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    g, d = build()
    n_g = sum(p.numel() for p in g.parameters())
    n_d = sum(p.numel() for p in d.parameters())
    opt_g = torch.optim.Adam(g.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(d.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()

    images = load_images(args.data, 60000)
    source = "fashion-mnist"
    if images is None:
        images = torch.rand(4096, 1, 28, 28) * 2 - 1
        source = "synthetic"
    n = images.shape[0]
    b = args.batch
    ones = torch.ones(b, 1)
    zeros = torch.zeros(b, 1)
    order = torch.randperm(n)
    cursor = [0]

    def next_batch():
        if cursor[0] + b > n:
            order.copy_(torch.randperm(n))
            cursor[0] = 0
        idx = order[cursor[0]:cursor[0] + b]
        cursor[0] += b
        return images.index_select(0, idx)

    def step():
        real = next_batch()
        z = torch.randn(b, 100)
        fake = g(z)
        opt_d.zero_grad()
        loss_d = bce(d(real), ones) + bce(d(fake.detach()), zeros)
        loss_d.backward()
        opt_d.step()
        opt_g.zero_grad()
        loss_g = bce(d(fake), ones)
        loss_g.backward()
        opt_g.step()
        return loss_d, loss_g

    if args.serve:
        print("pytorch %s, data %s, G %d params, D %d params, %d threads"
              % (torch.__version__, source, n_g, n_d, torch.get_num_threads()))
        print("READY")
        sys.stdout.flush()
        for line in sys.stdin:
            words = line.split()
            if not words or words[0] == "quit":
                break
            count = int(words[1])
            start = time.perf_counter()
            cpu_start = time.process_time()
            for _ in range(count):
                loss_d, loss_g = step()
            float(loss_d)
            float(loss_g)
            print("CHUNK steps=%d seconds=%.4f cpu_seconds=%.4f" % (count, time.perf_counter() - start,
                                                                     time.process_time() - cpu_start))
            sys.stdout.flush()
        return

    for _ in range(args.warmup):
        step()
    start = time.perf_counter()
    cpu_start = time.process_time()
    for _ in range(args.steps):
        loss_d, loss_g = step()
    float(loss_d)
    float(loss_g)
    seconds = time.perf_counter() - start
    cpu_seconds = time.process_time() - cpu_start
    ips = args.steps * b / seconds
    print("pytorch %s, data %s, G %d params, D %d params, %d threads, losses D %.3f G %.3f"
          % (torch.__version__, source, n_g, n_d, torch.get_num_threads(), float(loss_d), float(loss_g)))
    print("RESULT pytorch images_per_s=%.2f steps=%d batch=%d seconds=%.3f cpu_seconds=%.3f threads=%d"
          % (ips, args.steps, b, seconds, cpu_seconds, torch.get_num_threads()))
    sys.stdout.flush()


if __name__ == "__main__":
    main()
