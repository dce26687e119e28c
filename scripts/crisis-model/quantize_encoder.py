"""Writes an int8 copy of a fine-tuned crisis encoder folder (issue 18; docs/screening/round-9.md).

Dynamic quantization by onnxruntime's own tool: the weights of every MatMul are stored as int8 with one scale per
output channel, activations are quantized per call. Per channel, because per-tensor scales cost MiniLM too much:
on the base graph, dev embeddings kept a mean cosine of 0.956 (min 0.911) to the float graph per tensor, 0.993
(min 0.981) per channel, for the same 2x speed. The same input gives the same bytes (checked: two runs, one sha256).

Copies tokenizer.json and head.json (the head stays float: it is 4 x 384 numbers) and writes manifest.json naming
the new graph's sha256. Thresholds are not chosen here: quantize-encoder.ts scores dev through the new graph and
chooses them by the same rule as a training.

Usage: python quantize_encoder.py --from <folder> --to <folder>
"""
import argparse
import hashlib
import json
import os
import shutil

from onnxruntime.quantization import QuantType, quantize_dynamic


def sha256(path: str) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--from", dest="src", required=True)
    ap.add_argument("--to", dest="dst", required=True)
    args = ap.parse_args()
    os.makedirs(args.dst, exist_ok=True)
    manifest_path = os.path.join(args.dst, "manifest.json")
    if os.path.exists(manifest_path):
        os.remove(manifest_path)  # a folder without a manifest is incomplete until the new one is written
    tmp = os.path.join(args.dst, "model.onnx.tmp")
    quantize_dynamic(os.path.join(args.src, "model.onnx"), tmp, weight_type=QuantType.QInt8, per_channel=True)
    os.replace(tmp, os.path.join(args.dst, "model.onnx"))
    for name in ("tokenizer.json", "head.json"):
        shutil.copyfile(os.path.join(args.src, name), os.path.join(args.dst, name))
    with open(os.path.join(args.src, "manifest.json")) as fh:
        manifest = json.load(fh)
    manifest["model"] += f"; int8 per-channel dynamic quantization of graph {manifest['outputs']['model.onnx'][:12]}"
    manifest["outputs"]["model.onnx"] = sha256(os.path.join(args.dst, "model.onnx"))
    with open(manifest_path, "w") as fh:
        json.dump(manifest, fh, indent=2)
        fh.write("\n")
    print(f"wrote {args.dst}/model.onnx (sha256 {manifest['outputs']['model.onnx']})", flush=True)


if __name__ == "__main__":
    main()
