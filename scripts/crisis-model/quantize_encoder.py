"""Writes an int8 copy of a fine-tuned crisis encoder folder (issue 18; docs/screening/round-9.md).

Dynamic quantization by onnxruntime's own tool: the weights of every MatMul are stored as int8 with one scale per
output channel, activations are quantized per call. Per channel, because per-tensor scales cost MiniLM too much:
on the base graph, dev embeddings kept a mean cosine of 0.956 (min 0.911) to the float graph per tensor, 0.993
(min 0.981) per channel, for the same 2x speed. The same input gives the same bytes (checked: two runs, one sha256).

Copies tokenizer.json and head.json (the head stays float: it is 4 x 384 numbers) and writes manifest.json naming
the new graph's sha256, as build_onnx.write_folder lays out every encoder folder. Thresholds are not chosen
here: quantize-encoder.ts scores dev through the new graph and chooses them by the same rule as a training.

Usage: python quantize_encoder.py --from <folder> --to <folder>
"""
import argparse
import json
import os
import shutil
import sys
import tempfile

from onnxruntime.quantization import QuantType, quantize_dynamic

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "sentence-encoder"))
import build_onnx  # noqa: E402  (the encoder folder's layout: outputs, then the manifest)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--from", dest="src", required=True)
    ap.add_argument("--to", dest="dst", required=True)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # The tool writes a shape-inferred copy of its input beside the input: quantizing through a link in a
        # scratch folder keeps that 90 MB file out of the source folder (which may be read-only), even on a crash.
        source = os.path.join(tmp, "source.onnx")
        os.symlink(os.path.abspath(os.path.join(args.src, "model.onnx")), source)
        quantized = os.path.join(tmp, "model.onnx")
        quantize_dynamic(source, quantized, weight_type=QuantType.QInt8, per_channel=True)
        with open(quantized, "rb") as fh:
            model_bytes = fh.read()
    with open(os.path.join(args.src, "tokenizer.json"), "rb") as fh:
        tokenizer = fh.read()
    with open(os.path.join(args.src, "manifest.json")) as fh:
        manifest = json.load(fh)
    manifest["model"] += f"; int8 per-channel dynamic quantization of graph {manifest['outputs']['model.onnx'][:12]}"
    build_onnx.write_folder(args.dst, {"model.onnx": model_bytes, "tokenizer.json": tokenizer}, manifest)
    shutil.copyfile(os.path.join(args.src, "head.json"), os.path.join(args.dst, "head.json"))


if __name__ == "__main__":
    main()
