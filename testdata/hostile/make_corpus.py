#!/usr/bin/env python3
"""Writes the committed files of the hostile-input corpus (testdata/hostile).

Run from anywhere: python3 testdata/hostile/make_corpus.py
The output is deterministic (gzip members carry mtime 0), so re-running it on
an unchanged script leaves git clean. Inputs that git cannot hold or that
would be large (planted symlinks, file names with control characters, the
3 M-topic run, the many-document copeland run) are made at test time by
cmd/mreval/hostile_test.go instead. Standard library only.
"""

import gzip
import io
import os
import shutil
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
GENERATED = ["base", "json", "run", "qrels", "topics", "pool", "models", "judgments", "subtaskb",
             "npy", "bundle", "gz", "ranker", "store", "measures"]


def write(rel, data):
    path = os.path.join(HERE, rel)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(path, "wb") as f:
        f.write(data)


def gz(data, level=9):
    """gzip bytes with a fixed header (mtime 0, no name) for reproducible output."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=level, mtime=0, filename="") as f:
        f.write(data)
    return buf.getvalue()


def gz_stream(chunk, repeat, level=9):
    """gzip of chunk*repeat without holding the whole expansion in memory."""
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=level, mtime=0, filename="") as f:
        for _ in range(repeat):
            f.write(chunk)
    return buf.getvalue()


# A judged topic and document of the recycling collection, so that a run or
# qrels line is valid except for the one field each case breaks.
T, D = "ag_news", "roberta-base"


def run_line(score="1", doc=D, topic=T, rank="1", tag="x", q0="Q0"):
    return f"{topic} {q0} {doc} {rank} {score} {tag}\n"


def base():
    # Small valid inputs for the cases that break something else: a qrels
    # and a run of one topic and two models (quick to read, so that the
    # corpus runs in seconds), and features and labels for GBC, which needs
    # at least 64 samples and 64 dimensions.
    write("base/small.qrels", f"{T} 0 {D} 80\n{T} 0 bert-base-cased 70\n")
    write("base/small.run", f"{T} Q0 {D} 1 2 r\n{T} Q0 bert-base-cased 2 1 r\n")
    write("base/small.models.tsv", "model_id\tparams\tlayers\n" f"{D}\t124647170\t12\nbert-base-cased\t108310272\t12\n")
    n = 64
    write("base/features-64x64.npy", npy(shape=f"({n}, {n})", data=f8([float((i * 13 + j * 7) % 11) for i in range(n) for j in range(n)])))
    write("base/labels-64-int32-max.npy", npy(descr="'<i8'", shape=f"({n},)", data=i8([[0, 1, 2147483647][i % 3] for i in range(n)])))


def runs():
    good = run_line(score="2", doc="bert-base-cased")
    bad_scores = {
        "score-underscore": "1_000",
        "score-hex-float": "0x1p3",
        "score-hex-int": "0x10",
        "score-nan": "nan",
        "score-NaN-upper": "NaN",
        "score-inf": "inf",
        "score-minus-inf": "-inf",
        "score-infinity": "Infinity",
        "score-1e999": "1e999",
        "score-minus-1e999": "-1e999",
        "score-comma-decimal": "1,5",
        "score-two-points": "1.0.0",
        "score-bare-exponent": "1e",
        "score-bare-sign": "+",
        "score-bare-point": ".",
        "score-fullwidth-digit": "\uff11",
        "score-trailing-letter": "1x",
        "score-binary-prefix": "0b101",
    }
    for name, s in bad_scores.items():
        write(f"run/{name}.run", good + run_line(score=s))
    write("run/bom-mid-file.run", good + "\ufeff" + run_line())
    write("run/bom-inside-field.run", good + run_line(doc="roberta\ufeff-base"))
    write("run/cr-only-line-ends.run", (good + run_line()).replace("\n", "\r"))
    write("run/nul-in-docno.run", good + run_line(doc="roberta\x00base"))
    write("run/nul-line.run", good + "\x00" * 64 + "\n")
    write("run/overlong-line.run", good + run_line(doc="m" * 70_000))
    write("run/overlong-no-newline.run", good + "x" * 70_000)
    write(
        "run/invalid-utf8-docno.run",
        good.encode() + run_line(doc="rob\xffXXerta").encode("utf-8").replace(b"\xc3\xbfXX", b"\xff\xfe"),
    )
    write("run/invalid-utf8-topic.run", good.encode() + b"ag\xc0\xafnews Q0 roberta-base 1 1 x\n")
    write("run/too-few-fields.run", good + f"{T} Q0 {D} 1 1\n")
    write("run/too-many-fields.run", good + f"{T} Q0 {D} 1 1 x extra\n")
    write("run/rank-not-integer.run", good + run_line(rank="1.5"))
    write("run/rank-huge.run", good + run_line(rank="99999999999999999999"))
    write("run/duplicate-docno.run", good + run_line(doc="bert-base-cased", score="1"))
    write("run/escape-in-topic.run", good + run_line(topic="ag_news\x1b[31mEVIL"))
    write("run/escape-in-docno.run", good + run_line(doc="roberta\x1b]0;pwned\x07base"))
    write("run/binary-garbage.run", bytes((i * 197 + 13) % 256 for i in range(4096)))
    write("run/only-blank-lines.run", "\n" * 100)
    write("run/empty.run", "")
    write("run/nested-gzip.run.gz", gz(gz(good + run_line())))
    write("run/truncated.run.gz", gz((good + run_line()) * 100)[:-20])
    crc = bytearray(gz((good + run_line()) * 10))
    crc[-8] ^= 0xFF  # CRC-32 of the member
    write("run/bad-crc.run.gz", bytes(crc))
    write("run/gzip-trailing-garbage.run.gz", gz(good + run_line()) + b"this is not gzip")
    write("run/mixed-tags.run", good + run_line(tag="y"))


def qrels():
    good = f"{T} 0 bert-base-cased 80\n"
    bad = {
        "rel-underscore": "1_0",
        "rel-hex-float": "0x1p3",
        "rel-nan": "nan",
        "rel-inf": "inf",
        "rel-1e999": "1e999",
        "rel-comma": "1,5",
        "rel-letter": "high",
        "rel-empty-exponent": "2e+",
    }
    for name, r in bad.items():
        write(f"qrels/{name}.qrels", good + f"{T} 0 {D} {r}\n")
    write("qrels/bom-mid-file.qrels", good + f"\ufeff{T} 0 {D} 1\n")
    write("qrels/cr-only-line-ends.qrels", (good + f"{T} 0 {D} 1\n").replace("\n", "\r"))
    write("qrels/nul-byte.qrels", good + f"{T} 0 rob\x00erta 1\n")
    write("qrels/overlong-line.qrels", good + f"{T} 0 {'m' * 70_000} 1\n")
    write("qrels/invalid-utf8.qrels", good.encode() + b"ag_news 0 rob\xff\xfeerta 1\n")
    write("qrels/too-few-fields.qrels", good + f"{T} 0 {D}\n")
    write("qrels/too-many-fields.qrels", good + f"{T} 0 {D} 1 extra\n")
    write("qrels/duplicate-judgment.qrels", good + f"{T} 0 bert-base-cased 70\n")
    write("qrels/binary-garbage.qrels", bytes((i * 31 + 7) % 256 for i in range(4096)))
    write("qrels/escape-in-docno.qrels", good + f"{T} 0 rob\x1b[2Jerta 1\n")


def topics():
    write("topics/nul-byte.topics", "ag_news\nbo\x00olq\n")
    write("topics/invalid-utf8.topics", b"ag_news\nbo\xffolq\n")
    write("topics/overlong-line.topics", "ag_news\n" + "t" * 70_000 + "\n")
    write("topics/bom-mid-file.topics", "ag_news\n\ufeffboolq\n")
    write("topics/duplicate-topic.topics", "ag_news\nboolq\nag_news\n")
    write("topics/two-fields.topics", "ag_news\nboolq cb\n")
    write("topics/cr-only-line-ends.topics", "ag_news\rboolq\rcb\r")
    write("topics/unknown-topic.topics", "ag_news\nno_such_topic\n")
    write("topics/empty.topics", "")
    write("topics/escape.topics", "ag_news\n\x1b[31mred\n")
    write("topics/binary-garbage.topics", bytes((i * 77 + 3) % 256 for i in range(2048)))


def pools():
    write("pool/duplicate-id.pool", "roberta-base\nbert-base-cased\nroberta-base\n")
    write("pool/nul-byte.pool", "roberta-base\nbert\x00base\n")
    write("pool/invalid-utf8.pool", b"roberta-base\nbert\xff\n")
    write("pool/overlong-line.pool", "roberta-base\n" + "p" * 70_000 + "\n")
    write("pool/two-fields.pool", "roberta-base\nbert base\n")
    write("pool/empty.pool", "")
    write("pool/bom-mid-file.pool", "roberta-base\n\ufeffbert-base-cased\n")
    # Topics t and t.x with assessors x.y and y: t.x.y.csv twice.
    write("pool/collide-dots.run", "t Q0 d1 1 2 r\nt Q0 d2 2 1 r\nt.x Q0 d1 1 2 r\nt.x Q0 d3 2 1 r\n")
    write("pool/topic-path-traversal.run", "../../escaped Q0 d1 1 2 r\n")
    write("pool/topic-absolute-path.run", "/tmp/abs-topic Q0 d1 1 2 r\n")
    write("pool/topic-slash.run", "a/b Q0 d1 1 2 r\n")
    write("pool/topic-dotdot.run", ".. Q0 d1 1 2 r\n")
    write("pool/docno-comma-quote.run", 't Q0 "d,1 1 2 r\n')


def models():
    # Every table below lists both models of base/small.qrels, so that the
    # one broken cell is what is reported.
    header = "model_id\tbase_model\tparams\tlayers\n"
    bert = "bert-base-cased\tbert-base-cased\t108310272\t12\n"
    ok = "roberta-base\troberta-base\t124647170\t12\n"
    write("models/no-header.tsv", "")
    write("models/ragged-row.tsv", header + ok + "bert-base-cased\tbert\t110e6\n")
    write("models/duplicate-model.tsv", header + ok + ok)
    write("models/params-underscore.tsv", header + "roberta-base\troberta-base\t124_647_170\t12\n" + bert)
    write("models/params-nan.tsv", header + "roberta-base\troberta-base\tnan\t12\n" + bert)
    write("models/params-1e999.tsv", header + "roberta-base\troberta-base\t1e999\t12\n" + bert)
    write("models/params-hex.tsv", header + "roberta-base\troberta-base\t0x1p27\t12\n" + bert)
    write("models/nul-byte.tsv", header + "roberta-base\troberta\x00base\t124647170\t12\n" + bert)
    write("models/invalid-utf8.tsv", header.encode() + b"roberta-base\tro\xffb\t124647170\t12\n" + bert.encode())
    write("models/overlong-line.tsv", header + "roberta-base\t" + "b" * 70_000 + "\t1\t12\n" + bert)
    write("models/bom-mid-file.tsv", header + "\ufeff" + ok + bert)
    write("models/empty-column-name.tsv", "model_id\t\tparams\tlayers\n" + ok + bert)
    write("models/cr-only.tsv", (header + ok + bert).replace("\n", "\r"))
    write("models/header-only-no-params.tsv", "model_id\tbase_model\n" + "roberta-base\troberta-base\nbert-base-cased\tbert-base-cased\n")


def judgments():
    h = "topic,lora_id,assessor,grade\n"
    row = "T01,lora-192,sim-a,{}\n"
    for name, g in {"grade-4": "4", "grade-minus-1": "-1", "grade-underscore": "1_0", "grade-nan": "nan",
                    "grade-1e999": "1e999", "grade-float": "2.5", "grade-huge": "99999999999999999999",
                    "grade-empty": ""}.items():
        write(f"judgments/{name}.csv", h + row.format(g))
    write("judgments/row-twice.csv", h + row.format(1) + row.format(2))
    write("judgments/bad-header.csv", "topic,lora,who,grade\n" + row.format(1))
    write("judgments/unbalanced-quote.csv", h + 'T01,"lora-192,sim-a,1\n')
    write("judgments/nul-byte.csv", h + "T01,lora\x00192,sim-a,1\n")
    write("judgments/invalid-utf8.csv", h.encode() + b"T01,lora-\xff,sim-a,1\n")
    write("judgments/bom-mid-file.csv", h + "\ufeff" + row.format(1))
    write("judgments/overlong-line.csv", h + "T01,lora-" + "9" * 70_000 + ",sim-a,1\n")
    write("judgments/many-columns.csv", h + "T01,lora-192,sim-a,1" + "," * 100_000 + "\n")
    write("judgments/cr-only.csv", (h + row.format(1) + "T01,lora-099,sim-a,2\n").replace("\n", "\r"))
    write("judgments/escape-assessor.csv", h + "T01,lora-192,sim\x1b[31m-a,1\n")
    write("judgments/binary-garbage.csv", bytes((i * 53 + 11) % 256 for i in range(4096)))
    write("judgments/judging-pool-bad-header.tsv", "topic\tlora\nT01\tlora-192\n")
    write("judgments/judging-pool-nul.tsv", "topic\tlora_id\nT01\tlora\x00192\n")
    write("judgments/judging-pool-duplicate.tsv", "topic\tlora_id\nT01\tlora-192\nT01\tlora-192\n")


def subtaskb():
    th = "topic_id\timage\timage_sha256\tdescription\n"
    sha = "a96fa3011f6d110a5dbf0023aa550137eca3fe96804d56a46c3564e0f2bc0196"
    write("subtaskb/topics-missing-column.tsv", "topic_id\timage\tdescription\nT01\tx.png\tdusk\n")
    write("subtaskb/topics-duplicate.tsv", th + f"T01\tx.png\t{sha}\tdusk\nT01\tx.png\t{sha}\tdawn\n")
    write("subtaskb/topics-bad-sha.tsv", th + "T01\tx.png\tnot-a-sha\tdusk\n")
    write("subtaskb/topics-image-traversal.tsv", th + f"T01\t../../../etc/passwd\t{sha}\tdusk\n")
    write("subtaskb/topics-nul.tsv", th + f"T\x0001\tx.png\t{sha}\tdusk\n")
    write("subtaskb/topics-invalid-utf8.tsv", th.encode() + f"T01\tx.png\t{sha}\t".encode() + b"d\xffusk\n")
    write("subtaskb/topics-overlong.tsv", th + f"T01\tx.png\t{sha}\t" + "d" * 70_000 + "\n")
    ph = "lora_id\tbase_model\tname\ttrigger_words\ttags\tsource_url\tlicense\n"
    prow = "lora-001\tSD-1.5\tDetail\tanm\tkawaii\thttps://example.org/x\tsynthetic\n"
    write("subtaskb/pool-missing-column.tsv", "lora_id\tname\nlora-001\tDetail\n")
    write("subtaskb/pool-duplicate.tsv", ph + prow + prow)
    write("subtaskb/pool-ragged.tsv", ph + "lora-001\tSD-1.5\tDetail\n")
    write("subtaskb/pool-nul.tsv", ph + prow.replace("Detail", "De\x00tail"))
    write("subtaskb/pool-space-in-id.tsv", ph + prow.replace("lora-001", "lora 001"))
    write("subtaskb/pool-many-tags.tsv", ph + prow.replace("kawaii", ",".join(["t"] * 40_000)))
    # An embedding ids file with a duplicate and one naming no topic.
    write("subtaskb/topics-duplicate.ids", "T01\nT01\nT02\nT03\nT04\nT05\nT06\nT07\nT08\nT09\n")
    write("subtaskb/topics-nul.ids", "T01\nT\x0002\n")


# ---------------------------------------------------------------- .npy

def npy(descr="'<f8'", fortran="False", shape="(2, 2)", data=b"", version=(1, 0), header=None,
        header_len=None, magic=b"\x93NUMPY"):
    if header is None:
        header = "{'descr': %s, 'fortran_order': %s, 'shape': %s, }" % (descr, fortran, shape)
    if isinstance(header, str):
        header = header.encode("latin-1")
    prefix_len = 10 if version[0] == 1 else 12
    pad = (-(prefix_len + len(header) + 1)) % 64
    header = header + b" " * pad + b"\n"
    hl = len(header) if header_len is None else header_len
    if version[0] == 1:
        lenb = struct.pack("<H", hl & 0xFFFF)
    else:
        lenb = struct.pack("<I", hl & 0xFFFFFFFF)
    return magic + bytes(version) + lenb + header + data


def f8(values):
    return b"".join(struct.pack("<d", v) for v in values)


def i8(values):
    return b"".join(struct.pack("<q", v) for v in values)


def npys():
    n, d = 6, 2
    feats = [float((i * 7 + j * 3) % 5) + 0.25 * i for i in range(n) for j in range(d)]
    labels = [0, 1, 0, 1, 0, 1]
    probs = [0.5, 0.5] * n
    write("npy/features-ok.npy", npy(shape=f"({n}, {d})", data=f8(feats)))
    write("npy/labels-ok.npy", npy(descr="'<i8'", shape=f"({n},)", data=i8(labels)))
    write("npy/probs-ok.npy", npy(shape=f"({n}, 2)", data=f8(probs)))
    # Headers.
    write("npy/bad-magic.npy", npy(shape=f"({n}, {d})", data=f8(feats), magic=b"\x93NUMPX"))
    write("npy/version-4.npy", npy(shape=f"({n}, {d})", data=f8(feats), version=(4, 0)))
    write("npy/v1-header-len-beyond-file.npy", npy(shape=f"({n}, {d})", data=f8(feats), header_len=0xFFFF))
    write("npy/v2-header-len-ffffffff.npy", npy(shape=f"({n}, {d})", data=f8(feats), version=(2, 0),
                                                 header_len=0xFFFFFFFF))
    write("npy/v2-header-len-ffffffff-bigfile.npy",
          npy(shape=f"({n}, {d})", data=f8(feats) + b"\0" * 70_000, version=(2, 0), header_len=0xFFFFFFFF))
    write("npy/key-order-shape-first.npy",
          npy(header="{'shape': (1000000000000, 1000000000000), 'fortran_order': False, 'descr': '<f8', }",
              data=f8(feats)))
    write("npy/key-order-rows-mismatch.npy",
          npy(header="{'fortran_order': False, 'descr': '<f8', 'shape': (5, 2), }", data=f8(feats[:10])))
    hdr_no_nl = b"{'descr': '<f8', 'fortran_order': False, 'shape': (6, 2), }"
    hdr_no_nl += b" " * ((-(10 + len(hdr_no_nl))) % 64)
    write("npy/header-no-newline.npy", b"\x93NUMPY\x01\x00" + struct.pack("<H", len(hdr_no_nl)) + hdr_no_nl + f8(feats))
    write("npy/header-no-brace.npy", npy(header="{'descr': '<f8', 'fortran_order': False, 'shape': (6, 2), ",
                                         data=f8(feats)))
    write("npy/header-empty.npy", npy(header="", data=f8(feats)))
    write("npy/header-not-dict.npy", npy(header="[1, 2, 3]", data=f8(feats)))
    write("npy/header-duplicate-key.npy",
          npy(header="{'descr': '<f8', 'fortran_order': False, 'shape': (6, 2), 'shape': (99999999999, 2), }",
              data=f8(feats)))
    write("npy/header-unknown-key.npy",
          npy(header="{'descr': '<f8', 'fortran_order': False, 'shape': (6, 2), 'evil': __import__('os'), }",
              data=f8(feats)))
    write("npy/header-nested-parens.npy", npy(shape="(" * 5000 + ")" * 5000, data=f8(feats)))
    write("npy/header-huge-v2.npy", npy(header="{'descr': '<f8', 'fortran_order': False, 'shape': (6, 2), }" +
                                        " " * 100_000, version=(2, 0), data=f8(feats)))
    # Shapes.
    write("npy/shape-1e12-by-1e12.npy", npy(shape="(1000000000000, 1000000000000)", data=f8(feats)))
    write("npy/shape-1e8-by-100-header-only.npy", npy(shape="(100000000, 100)"))
    write("npy/shape-200-by-2pow59.npy", npy(shape=f"(200, {2 ** 59})", data=f8(feats)))
    write("npy/shape-2pow61-by-8-wraps.npy", npy(shape=f"({2 ** 61}, 8)"))
    write("npy/shape-2pow63.npy", npy(shape=f"({2 ** 63}, 2)"))
    write("npy/shape-2pow64.npy", npy(shape=f"({2 ** 64}, 2)"))
    write("npy/shape-negative.npy", npy(shape="(-6, 2)", data=f8(feats)))
    write("npy/shape-scalar.npy", npy(shape="()", data=f8(feats[:1])))
    write("npy/shape-3d.npy", npy(shape="(6, 1, 2)", data=f8(feats)))
    write("npy/shape-zero-rows.npy", npy(shape="(0, 2)"))
    write("npy/shape-zero-cols.npy", npy(shape="(6, 0)"))
    write("npy/shape-not-int.npy", npy(shape="(6.0, 2)", data=f8(feats)))
    write("npy/shape-underscore.npy", npy(shape="(6, 2_0)", data=f8(feats)))
    write("npy/shape-hex.npy", npy(shape="(0x6, 2)", data=f8(feats)))
    # Dtypes and order.
    write("npy/dtype-complex.npy", npy(descr="'<c16'", shape=f"({n}, 1)", data=f8(feats)))
    write("npy/dtype-object-pickle.npy", npy(descr="'|O'", shape=f"({n}, {d})", data=b"\x80\x04K\x01." * 20))
    write("npy/dtype-unicode.npy", npy(descr="'<U10'", shape=f"({n}, {d})", data=b"\0" * 480))
    write("npy/dtype-structured.npy", npy(descr="[('a', '<f8'), ('b', '<f8')]", shape=f"({n},)", data=f8(feats)))
    write("npy/dtype-f16.npy", npy(descr="'<f2'", shape=f"({n}, {d})", data=struct.pack("<12e", *feats)))
    write("npy/dtype-empty.npy", npy(descr="''", shape=f"({n}, {d})", data=f8(feats)))
    write("npy/fortran-maybe.npy", npy(fortran="'maybe'", shape=f"({n}, {d})", data=f8(feats)))
    # Data.
    write("npy/truncated-data.npy", npy(shape=f"({n}, {d})", data=f8(feats)[:-8]))
    write("npy/padded-data.npy", npy(shape=f"({n}, {d})", data=f8(feats) + b"\0" * 8))
    write("npy/features-nan.npy", npy(shape=f"({n}, {d})", data=f8([float("nan")] + feats[1:])))
    write("npy/features-inf.npy", npy(shape=f"({n}, {d})", data=f8(feats[:-1] + [float("inf")])))
    write("npy/features-huge-values.npy", npy(shape=f"({n}, {d})", data=f8([1e308 * (1 if i % 2 else -1) for i in range(n * d)])))
    # Labels.
    write("npy/labels-int32-max.npy", npy(descr="'<i8'", shape=f"({n},)", data=i8([0, 1, 2147483647, 0, 1, 2147483647])))
    write("npy/labels-int64-max.npy", npy(descr="'<i8'", shape=f"({n},)", data=i8([0, 1, 2 ** 63 - 1, 0, 1, 0])))
    write("npy/labels-negative.npy", npy(descr="'<i8'", shape=f"({n},)", data=i8([0, 1, -1, 0, 1, 0])))
    write("npy/labels-int64-min.npy", npy(descr="'<i8'", shape=f"({n},)", data=i8([0, 1, -2 ** 63, 0, 1, 0])))
    write("npy/labels-float.npy", npy(descr="'<f8'", shape=f"({n},)", data=f8([0, 1, 0, 1, 0, 1])))
    write("npy/labels-2d.npy", npy(descr="'<i8'", shape=f"({n}, 1)", data=i8(labels)))
    write("npy/labels-short.npy", npy(descr="'<i8'", shape="(5,)", data=i8(labels[:5])))
    write("npy/labels-int8.npy", npy(descr="'|i1'", shape=f"({n},)", data=bytes(labels)))
    write("npy/labels-huge-count-header-only.npy", npy(descr="'<i8'", shape="(1000000000000,)"))
    # Probabilities.
    write("npy/probs-not-normalised.npy", npy(shape=f"({n}, 2)", data=f8([0.9, 0.9] * n)))
    write("npy/probs-negative.npy", npy(shape=f"({n}, 2)", data=f8([1.5, -0.5] * n)))
    write("npy/probs-nan.npy", npy(shape=f"({n}, 2)", data=f8([float("nan"), 1.0] + [0.5, 0.5] * (n - 1))))
    # Targets (regression).
    write("npy/targets-nan.npy", npy(shape=f"({n},)", data=f8([float("nan"), 1, 2, 3, 4, 5])))
    write("npy/targets-huge-cols.npy", npy(shape=f"({n}, {2 ** 40})"))


def bundle(name, topics_tsv, models_tsv, files, id_map_names=("topic-dirs.tsv", "model-dirs.tsv")):
    root = f"bundle/{name}"
    write(f"{root}/{id_map_names[0]}", topics_tsv)
    write(f"{root}/{id_map_names[1]}", models_tsv)
    for rel, data in files.items():
        write(f"{root}/{rel}", data)


def bundles():
    n, d = 6, 2
    feats = npy(shape=f"({n}, {d})", data=f8([float((i * 7 + j * 3) % 5) + 0.25 * i for i in range(n) for j in range(d)]))
    labels = npy(descr="'<i8'", shape=f"({n},)", data=i8([0, 1, 0, 1, 0, 1]))
    topics = "t1\ttopic-1\n"
    models = "m1\tmodel-1\n"

    def ok(**over):
        files = {"topic-1/labels.npy": labels, "topic-1/model-1/features.npy": feats}
        files.update(over)
        return {k: v for k, v in files.items() if v is not None}

    bundle("huge-shape-wrap", topics, models, ok(**{"topic-1/model-1/features.npy": npy(shape=f"(6, {2 ** 59})", data=b"")}))
    bundle("huge-shape-2pow61", topics, models, ok(**{"topic-1/model-1/features.npy": npy(shape=f"(6, {2 ** 61})")}))
    bundle("labels-int32-max", topics, models,
           ok(**{"topic-1/labels.npy": npy(descr="'<i8'", shape=f"({n},)", data=i8([0, 1, 2147483647, 0, 1, 2147483647]))}))
    bundle("labels-negative", topics, models,
           ok(**{"topic-1/labels.npy": npy(descr="'<i8'", shape=f"({n},)", data=i8([0, -5, 1, 0, 1, 0]))}))
    bundle("v2-header-ffffffff", topics, models,
           ok(**{"topic-1/model-1/features.npy": npy(shape=f"({n}, {d})", version=(2, 0), header_len=0xFFFFFFFF)}))
    bundle("key-order-no-brace", topics, models,
           ok(**{"topic-1/model-1/features.npy": npy(header="{'shape': (6, 2), 'descr': '<f8'", data=b"")}))
    bundle("dir-traversal", "t1\t../../../../tmp\n", models, ok())
    bundle("dir-absolute", "t1\t/etc\n", models, ok())
    bundle("dir-dot", topics, "m1\t.\n", ok())
    bundle("duplicate-topic", topics + "t1\ttopic-2\n", models, ok())
    bundle("duplicate-dir", topics + "t2\ttopic-1\n", models, ok())
    bundle("three-fields", "t1\ttopic-1\textra\n", models, ok())
    bundle("space-in-id", "t 1\ttopic-1\n", models, ok())
    bundle("empty-tsv", "", "", {})
    bundle("missing-features", topics, models, ok(**{"topic-1/model-1/features.npy": None}))
    bundle("labels-and-targets", topics, models,
           ok(**{"topic-1/targets.npy": npy(shape=f"({n},)", data=f8([1, 2, 3, 4, 5, 6]))}))
    bundle("rows-mismatch", topics, models,
           ok(**{"topic-1/model-1/features.npy": npy(shape=f"(5, {d})", data=f8([1.0] * 10))}))
    bundle("nul-in-tsv", "t\x001\ttopic-1\n", models, ok())
    bundle("invalid-utf8-tsv", b"t\xff1\ttopic-1\n", models, ok())
    bundle("overlong-tsv", "t" * 70_000 + "\ttopic-1\n", models, ok())
    bundle("features-nan", topics, models,
           ok(**{"topic-1/model-1/features.npy": npy(shape=f"({n}, {d})", data=f8([float("nan")] * (n * d)))}))
    bundle("probs-bad", topics, models,
           ok(**{"topic-1/model-1/probs.npy": npy(shape=f"({n}, 2)", data=f8([2.0, -1.0] * n))}))
    bundle("truncated-features", topics, models,
           ok(**{"topic-1/model-1/features.npy": feats[:-16]}))
    # A bundle written before the ID maps were renamed topic-dirs.tsv and
    # model-dirs.tsv: the error names both names, not just a missing file.
    bundle("old-id-map-names", topics, models, ok(), id_map_names=("topics.tsv", "models.tsv"))


# ---------------------------------------------------------------- gzip bombs

def bombs():
    # ~8 MiB of newlines: blank lines a reader skips without ever finding a
    # record, so nothing but a size or ratio limit ends it early.
    nl = gz_stream(b"\n" * (1 << 20), 8)
    write("gz/newlines-8MiB.run.gz", nl)
    write("gz/newlines-8MiB.qrels.gz", nl)
    write("gz/newlines-8MiB.topics.gz", nl)
    write("gz/newlines-8MiB.tsv.gz", nl)
    # One line of 16 MiB: a line-length limit must stop it, not memory.
    write("gz/one-line-16MiB.run.gz", gz_stream(b"a" * (1 << 20), 16))
    # 64 MiB of zeros behind a valid first line.
    buf = io.BytesIO()
    with gzip.GzipFile(fileobj=buf, mode="wb", compresslevel=9, mtime=0, filename="") as f:
        f.write(run_line(doc="bert-base-cased").encode())
        for _ in range(64):
            f.write(b"\0" * (1 << 20))
    write("gz/zeros-64MiB.run.gz", buf.getvalue())
    # Many tiny gzip members (each a valid empty member): cheap to decode
    # one by one, but a reader must not loop forever or recurse.
    write("gz/many-empty-members.run.gz", gz(b"") * 3000 + gz(run_line()))


# ---------------------------------------------------------------- modelspider rankers

def ranker(header_json, params=b"", version=1, magic=b"MRMSPDR\n", fix_crc=True, header_len=None):
    hj = header_json.encode()
    hl = len(hj) if header_len is None else header_len
    body = magic + struct.pack("<I", version) + struct.pack("<I", hl) + hj + params
    if fix_crc:
        return body + struct.pack("<I", zlib.crc32(body) & 0xFFFFFFFF)
    return body + b"\0\0\0\0"


def rankers():
    write("ranker/empty.ranker", b"")
    write("ranker/bad-magic.ranker", ranker("{}", magic=b"NOTSPDR\n"))
    write("ranker/bad-crc.ranker", ranker("{}", fix_crc=False))
    write("ranker/version-99.ranker", ranker("{}", version=99))
    write("ranker/header-len-huge.ranker", ranker("{}", header_len=0xFFFFFFFF))
    write("ranker/header-not-json.ranker", ranker("this is not json"))
    write("ranker/header-unknown-field.ranker", ranker('{"evil": 1}'))

    def header(cfg, tensors, models, kind="probes"):
        import json
        repr_ = {"kind": kind, kind: {}} if kind else {"kind": "nope"}
        return json.dumps({"format": "mreval modelspider ranker", "config": cfg, "representation": repr_,
                           "models": models, "net_seed": 1, "train": {}, "tensors": tensors})

    # Dim 2^61: every d×d tensor's size overflows to 0 and the rest sum to
    # 3·2^62, so 8·size wraps to 0 = the number of parameter bytes present.
    d = 2 ** 61
    cfg = {"dim": d, "ffn": 0, "num_models": 1, "model_features": 0, "task_features": 1}
    tensors = [{"name": "model.free", "rows": 1, "cols": d}, {"name": "model.bias", "rows": 1, "cols": d},
               {"name": "task.proj", "rows": d, "cols": 1}, {"name": "task.bias", "rows": 1, "cols": d},
               {"name": "attn.q", "rows": d, "cols": d}, {"name": "attn.k", "rows": d, "cols": d},
               {"name": "attn.v", "rows": d, "cols": d}, {"name": "ln1.gain", "rows": 1, "cols": d},
               {"name": "ln1.bias", "rows": 1, "cols": d}, {"name": "head.w", "rows": 1, "cols": d},
               {"name": "head.b", "rows": 1, "cols": 1}]
    # 7·2^61 + 1 parameters wrap to 8 bytes: one float64 passes the size check.
    write("ranker/dim-2pow61-size-wraps.ranker", ranker(header(cfg, tensors, ["m1"]), params=f8([0.5])))
    cfg2 = dict(cfg, dim=2 ** 40)
    tensors2 = [dict(t, rows=(2 ** 40 if t["rows"] == d else t["rows"]), cols=(2 ** 40 if t["cols"] == d else t["cols"]))
                for t in tensors]
    write("ranker/dim-2pow40.ranker", ranker(header(cfg2, tensors2, ["m1"])))
    cfg3 = {"dim": 1, "ffn": 0, "num_models": 1, "model_features": 0, "task_features": 1,
            "specific_features": [1] * 1}
    write("ranker/negative-models.ranker", ranker(header(dict(cfg3, num_models=-1), [], [])))
    write("ranker/specific-features-huge.ranker",
          ranker(header({"dim": 1, "ffn": 0, "num_models": 1, "model_features": 0, "task_features": 1,
                         "specific_features": [2 ** 62]}, [], ["m1"])))
    write("ranker/bad-kind.ranker", ranker(header({"dim": 1, "ffn": 0, "num_models": 1, "model_features": 0,
                                                   "task_features": 1}, [], ["m1"], kind=None)))
    write("ranker/truncated-params.ranker",
          ranker(header({"dim": 1, "ffn": 0, "num_models": 1, "model_features": 0, "task_features": 1},
                        [{"name": "model.free", "rows": 1, "cols": 1}, {"name": "model.bias", "rows": 1, "cols": 1},
                         {"name": "task.proj", "rows": 1, "cols": 1}, {"name": "task.bias", "rows": 1, "cols": 1},
                         {"name": "attn.q", "rows": 1, "cols": 1}, {"name": "attn.k", "rows": 1, "cols": 1},
                         {"name": "attn.v", "rows": 1, "cols": 1}, {"name": "ln1.gain", "rows": 1, "cols": 1},
                         {"name": "ln1.bias", "rows": 1, "cols": 1},
                         {"name": "head.w", "rows": 1, "cols": 1}, {"name": "head.b", "rows": 1, "cols": 1}], ["m1"]),
                 params=f8([0.5] * 3)))
    write("ranker/deep-json.ranker", ranker('{"config": ' + "[" * 20_001 + "]" * 20_001 + "}"))


# ---------------------------------------------------------------- submission store files

def stores():
    # A manifest whose second line is not JSON.
    write("store/bad-manifest/MANIFEST.jsonl", '{not json\n')
    # A manifest naming files outside the store.
    entry = ('{"time":"2026-01-01T00:00:00Z","task":"A","team":"t","tag":"a","version":1,'
             '"original_name":"a.run","original":{"path":"%s","size":1,"sha256":"%s"},'
             '"normalised":{"path":"%s","size":1,"sha256":"%s"},"validation":{"warnings":0,"lines":1,'
             '"run_lines":1,"topics":1,"summary":"a.run: valid"}}\n')
    sha = "0" * 64
    write("store/traversal-manifest/MANIFEST.jsonl",
          entry % ("../../../../nonexistent-mreval-hostile/a.orig", sha, "../../../../nonexistent-mreval-hostile/a.run", sha))
    # Absolute paths that exist nowhere: a reader that followed them must
    # not be able to touch a real file on the machine running the tests.
    write("store/absolute-manifest/MANIFEST.jsonl",
          entry % ("/nonexistent-mreval-hostile/a.orig", sha, "/nonexistent-mreval-hostile/a.run", sha))
    write("store/nul-manifest/MANIFEST.jsonl", '{"team":"t\\u0000x"}\n\x00\x00\n')
    write("store/huge-line-manifest/MANIFEST.jsonl", '{"team":"' + "t" * 100_000 + '"}\n')
    write("store/deep-json-manifest/MANIFEST.jsonl", "[" * 20_001 + "]" * 20_001 + "\n")


def jsons():
    # Expected-scores files of eval --expect (what eval --format json writes).
    def expect(all_json):
        return '{"run": "r", "file": "x", "per_topic": {}, "all": {%s}}\n' % all_json
    write("json/ok.json", expect('"num_q": 1, "ndcg@10": 1, "tauw": 1, "regret@1": 0'))
    write("json/deep-nesting.json", "[" * 20_001 + "]" * 20_001 + "\n")
    write("json/value-nan-string.json", expect('"num_q": 1, "ndcg@10": "nan", "tauw": 1, "regret@1": 0'))
    write("json/value-1e999.json", expect('"num_q": 1, "ndcg@10": 1e999, "tauw": 1, "regret@1": 0'))
    write("json/value-NaN-literal.json", expect('"num_q": 1, "ndcg@10": NaN, "tauw": 1, "regret@1": 0'))
    write("json/duplicate-key.json", expect('"num_q": 1, "ndcg@10": 1, "ndcg@10": 0.5, "tauw": 1, "regret@1": 0'))
    write("json/bad-measure.json", expect('"num_q": 1, "q_-1": 1, "tauw": 1, "regret@1": 0'))
    write("json/escape-measure.json", expect('"num_q": 1, "ndcg\\u001b[31m": 1'))
    write("json/truncated.json", expect('"num_q": 1, "ndcg@10": 1')[:40])
    write("json/not-utf8.json", b'{"run": "r\xff\xfe", "file": "x", "per_topic": {}, "all": {"num_q": 1}}\n')
    write("json/many-keys.json", expect(", ".join('"P.%d": 0' % i for i in range(1, 5001))))
    write("json/binary-garbage.json", bytes((i * 151 + 17) % 256 for i in range(4096)))


def main():
    for d in GENERATED:
        shutil.rmtree(os.path.join(HERE, d), ignore_errors=True)
    base()
    jsons()
    runs()
    qrels()
    topics()
    pools()
    models()
    judgments()
    subtaskb()
    npys()
    bundles()
    bombs()
    rankers()
    stores()


if __name__ == "__main__":
    main()
