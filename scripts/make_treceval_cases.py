#!/usr/bin/env python3
"""Generate the `mreval trec_eval` conformance cases (testdata/treceval/).

Random qrels/run pairs (graded levels, negative judgments, unjudged and
unpooled documents, exact ties and ties only at float32 precision, docnos
that are prefixes of each other, topics judged but not retrieved and
retrieved but not judged, topics without relevant documents, fields after
the run tag, odd spacing) are scored by a real trec_eval 9.0.8 binary with
every measure of -m all_trec and every option mreval implements, in every
syntax (-qc, -mmap, -l2, -M10, --measure=, long abbreviations, options
after the operands), plus the refusals and their exit statuses. A larger
pair shaped like trec_eval's own test/ files (big.qrels, big.run and a
truncated big.trunc.run with fields after the run tag) is scored with the
command lines of trec_eval's quicktest; trec_eval's own files are not
copied (their licence is research, non-commercial only). The expected
stdout and exit status of each command line go to testdata/treceval/; the
Go test TestTrecEvalConformance replays them through `mreval trec_eval`.

    python3 scripts/make_treceval_cases.py /path/to/trec_eval

trec_eval 9.0.8 builds from ../shared/reference/ (see its README). Seeded:
the same binary gives the same files.
"""
import json
import random
import shutil
import struct
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "testdata" / "treceval"

# The command lines of trec_eval's quicktest that use only what mreval
# implements (not -R prefs/qrels_jg, not -Z), over the big_* files.
BIG_CASES = [
    ("big_out.test", ["cases/big.qrels", "cases/big.run"]),
    ("big_out.test.a", ["-m", "all_trec", "cases/big.qrels", "cases/big.run"]),
    ("big_out.test.aq", ["-m", "all_trec", "-q", "cases/big.qrels", "cases/big.run"]),
    ("big_out.test.aqc", ["-m", "all_trec", "-q", "-c", "cases/big.qrels", "cases/big.trunc.run"]),
    ("big_out.test.aqcM", ["-m", "all_trec", "-q", "-c", "-M100", "cases/big.qrels", "cases/big.trunc.run"]),
    ("big_out.test.aql", ["-m", "all_trec", "-mrelstring.20", "-q", "-l2", "cases/big.qrels", "cases/big.run"]),
    ("big_out.test.meas_params", ["-q", "-miprec_at_recall..10,.20,.25,.75,.50", "-m", "P.5,7,3", "-m", "recall.20,2000",
                                  "-m", "Rprec_mult.5.0,0.2,0.35", "-mutility.2,-1,0,0", "-m", "11pt_avg..25,.5,.75",
                                  "-mndcg.1=3,2=9,4=4.5", "-mndcg_cut.10,20,23.4", "-msuccess.2,5,20",
                                  "cases/big.qrels", "cases/big.run"]),
]


def make_big(rng):
    """A qrels/run pair shaped like trec_eval's test/ files, with its own RNG
    so that the generated cases/ stay as they were.

    Five topics of ~300 judgments (levels 0-4 and -1, so -l2 has two sides);
    1000 retrieved per topic for four of them (the fifth is judged only, so
    -c counts it), scores at three decimals (ties, which trec_eval breaks by
    docno, some docnos prefixes of others). Lines are in docno order, as in
    results.test: trec_eval ranks by score, not by line or rank field.
    big.trunc.run keeps the 150 or 60 best of each topic, drops a topic and
    adds fields after the run tag, as results.trunc does.
    """
    prefixes = ["FBIS3-", "FT941-", "LA010189-", "FR940202-2-"]
    topics = ["401", "402", "403", "404", "405"]
    qrel_lines, run_by_topic = [], {}
    for ti, t in enumerate(topics):
        docs = set()
        while len(docs) < 1400:
            d = rng.choice(prefixes) + str(rng.randint(0, 9999))
            docs.add(d)
            if rng.random() < 0.02:
                docs.add(d + str(rng.randint(0, 9)))  # a docno and its prefix
        docs = sorted(docs)
        rng.shuffle(docs)
        judged = {}
        for d in docs[: rng.randint(270, 330)]:
            r = rng.random()
            judged[d] = -1 if r < 0.05 else 0 if r < 0.65 else 1 if r < 0.8 else 2 if r < 0.9 else 3 if r < 0.96 else 4
        for d in sorted(judged):
            qrel_lines.append(f"{t} 0 {d} {judged[d]}")
        if t == "405":
            continue  # judged, not retrieved
        retrieved = [d for d in docs[:400] if d not in judged or rng.random() < 0.8]
        retrieved += docs[400 : 400 + 1000 - len(retrieved)]
        scores = {}
        for d in retrieved:
            s = rng.gauss(0, 1) + 0.5 * max(judged.get(d, 0), 0)
            scores[d] = round(s, 3) if rng.random() < 0.9 else round(s, 1)
        prefixed = [d for d in retrieved if d[:-1] in scores]
        for d in prefixed[:3]:
            scores[d] = scores[d[:-1]]  # tied with its prefix
        ranked = sorted(retrieved, key=lambda d: (-scores[d], d))
        rank = {d: i for i, d in enumerate(ranked, 1)}
        run_by_topic[t] = [(d, rank[d], scores[d]) for d in sorted(retrieved)]
    run_lines, trunc_lines = [], []
    junk = ["more junk at", "end of lines.", "reserved for", "future use", "0 1", "x"]
    for ti, (t, rows) in enumerate(run_by_topic.items()):
        for d, r, s in rows:
            run_lines.append(f"{t}\tQ0\t{d}\t{r}\t{s:10.6f}\tSTANDARD")
        if t == "404":
            continue  # in the run, not in the truncated run
        keep = 150 if ti % 2 == 0 else 60
        for d, r, s in sorted(rows, key=lambda row: row[1])[:keep]:
            trunc_lines.append(f"{t}\tQ0\t{d}\t{r}\t{s:10.6f}\tSTANDARD {rng.choice(junk)}")
    rng.shuffle(trunc_lines)
    return ("\n".join(qrel_lines) + "\n", "\n".join(run_lines) + "\n",
            "\n".join(trunc_lines) + "\n")


def f32_neighbour(x):
    """A float64 that differs from x but rounds to the same float32."""
    f = struct.unpack("f", struct.pack("f", x))[0]
    return f + abs(f) * 1e-12 if f != 0 else 1e-50


def make_case(rng, idx):
    ntopics = rng.randint(1, 5)
    topics = sorted({rng.choice(["t", "q", "", "301-"]) + str(rng.randint(0, 12)) for _ in range(ntopics)})
    qrels, run = [], []
    tag = rng.choice(["runA", "r.1", "STANDARD", "x_y-z"])
    for ti, t in enumerate(topics):
        ndocs = rng.randint(2, 45)
        docs = [rng.choice(["d", "D", "m-", "doc"]) + str(rng.randint(0, 60)) for _ in range(ndocs)]
        docs = list(dict.fromkeys(docs))
        no_rel = rng.random() < 0.15
        levels = [0, 0, 0] if no_rel else [-1, 0, 0, 0, 1, 1, 2, 3, 4, 12]
        judged = []
        for d in docs:
            if rng.random() < 0.75:
                judged.append((d, rng.choice(levels)))
        if rng.random() < 0.2:
            judged = [(d, f"{lv}.0" if lv >= 0 else lv) for d, lv in judged]  # atol reads "2.0" as 2
        if not any(float(lv) >= 0 for _, lv in judged):
            # trec_eval reuses the previous topic's level counts for a topic
            # whose judgments are all negative (a bug no script relies on).
            judged.append((docs[0] + "z", 0))
        for d, lv in judged:
            qrels.append((t, d, lv))
        if rng.random() < 0.15 and ti > 0:
            continue  # judged, not retrieved
        pool = docs + [f"u{i}" for i in range(rng.randint(0, 8))]
        ret = rng.sample(pool, rng.randint(1, len(pool)))
        scores = {}
        for d in ret:
            kind = rng.random()
            if kind < 0.3:
                s = round(rng.uniform(-3, 3), 1)  # exact ties
            elif kind < 0.45 and scores:
                s = f32_neighbour(rng.choice(list(scores.values())))  # float32-only ties
            elif kind < 0.5:
                s = float(rng.randint(0, 3))
            else:
                s = rng.uniform(-5, 50)
            scores[d] = s
        for rank, d in enumerate(ret, 1):
            run.append((t, d, rank, scores[d]))
    # topics retrieved but never judged
    for i in range(rng.randint(0, 2)):
        run.append((f"nojudge{i}", "d1", 1, 1.0))
    rng.shuffle(run)
    extra = rng.random() < 0.3
    spacing = rng.random() < 0.3

    def sep():
        return rng.choice([" ", "\t", "  ", " \t "]) if spacing else " "

    run_lines = []
    for t, d, rank, s in run:
        text = rng.choice([repr(s), f"{s:.6f}", f"{s:.17g}", f"{s:e}"]) if rng.random() < 0.5 else repr(s)
        line = sep().join([t, "Q0", d, str(rank), text, tag])
        if extra and rng.random() < 0.5:
            line += sep() + rng.choice(["extra", "more junk", "0 1"])
        if spacing and rng.random() < 0.2:
            line = " " + line + " "
        run_lines.append(line)
    qrel_lines = []
    for t, d, lv in qrels:
        qrel_lines.append(sep().join([t, rng.choice(["0", "Q0", "1"]), d, str(lv)]))
    rng.shuffle(qrel_lines)
    # A topic only in the qrels, so that -c has something to add.
    if rng.random() < 0.5:
        qrel_lines.append(f"zz{idx} 0 d1 1")
        qrel_lines.append(f"zz{idx} 0 d2 0")
    return "\n".join(qrel_lines) + "\n", "\n".join(run_lines) + "\n"


# Option sets over generated cases: each case gets several, in rotation.
FLAG_SETS = [
    ["-q", "-m", "all_trec"],
    ["-c", "-m", "all_trec"],
    ["-q", "-c", "-M", "5", "-m", "all_trec"],
    ["-J", "-q", "-m", "all_trec"],
    ["-l", "2", "-m", "all_trec"],
    ["-l", "0", "-q", "-m", "all_trec"],
    ["-q"],
    ["-c", "-M", "10", "-m", "recip_rank"],
    ["-qc", "-l2", "-M10", "-mmap", "-mP.1,3", "-mndcg_cut.3"],
    ["-q", "-m", "P.1,3", "-m", "ndcg_cut.3,5", "-m", "iprec_at_recall.0.25,0.5", "-m", "ndcg.1=2,2=5",
     "-m", "G.0=1,2=0.5,3=0.7", "-m", "ndcg_rel.2=0.5", "-m", "Rndcg.1=3,4=1", "-m", "utility.1,-2,0.5,0",
     "-m", "set_F.0.5", "-m", "relstring.5", "-m", "Rprec_mult.0.5,3", "-m", "11pt_avg.0.2,0.5,0.8",
     "-m", "success.1,2", "-m", "map_cut.2,7", "-m", "relative_P.2,3", "-m", "yaap"],
    ["-n", "-q", "-m", "official"],
    ["-m", "ndcg_cut.10", "-m", "ndcg_cut.100", "-m", "P.5", "-m", "P"],
    ["--measure=map", "--query_eval_wanted", "--Max_retrieved_per_topic=3", "--Judged"],
    ["-J", "-M", "4", "-c", "-q", "-m", "set", "-m", "bpref", "-m", "infAP"],
    ["-M", "0", "-m", "all_trec"],
    ["-l", "3", "-c", "-m", "all_trec"],
    ["-l", "-1", "-q", "-m", "all_trec"],
    ["-l", "-2", "-J", "-m", "all_trec"],
    ["-m", "gm_map", "-m", "gm_bpref", "-c", "-N", "1000", "-m", "utility.1,-1,-0.5,0.01"],
]


def run_trec_eval(binary, args):
    p = subprocess.run([binary] + args, cwd=OUT, capture_output=True)
    return p.returncode, p.stdout


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    binary = str(Path(sys.argv[1]).resolve())
    if OUT.exists():
        shutil.rmtree(OUT)
    (OUT / "cases").mkdir(parents=True)
    (OUT / "expected").mkdir()
    qrels, run, trunc = make_big(random.Random(20260318))
    (OUT / "cases/big.qrels").write_text(qrels)
    (OUT / "cases/big.run").write_text(run)
    (OUT / "cases/big.trunc.run").write_text(trunc)

    cases = list(BIG_CASES)
    rng = random.Random(20261206)
    ncases = 34
    for i in range(ncases):
        qrels, run = make_case(rng, i)
        base = f"cases/c{i:02d}"
        (OUT / (base + ".qrels")).write_text(qrels)
        (OUT / (base + ".run")).write_text(run)
        for k in range(3):
            flags = FLAG_SETS[(i * 3 + k) % len(FLAG_SETS)]
            args = list(flags) + [base + ".qrels", base + ".run"]
            if (i + k) % 5 == 0:
                # Options after the operands: getopt permutes them.
                args = [base + ".qrels"] + list(flags) + [base + ".run"]
            cases.append((f"c{i:02d}_{k}", args))

    q, r = "cases/c00.qrels", "cases/c00.run"
    judged = {line.split()[0] for line in open(OUT / q)}
    run_lines = open(OUT / r).read().splitlines()
    first_judged = next(line for line in run_lines if line.split()[0] in judged)
    topic = first_judged.split()[0]
    (OUT / "cases/other.run").write_text("nowhere Q0 d1 1 1.0 r\n")
    (OUT / "cases/dup.run").write_text("\n".join(run_lines + [first_judged]) + "\n")
    (OUT / "cases/short.run").write_text("x Q0 d1 1 1.0\n")
    qrel_lines = open(OUT / q).read().splitlines()
    dup = next(line for line in qrel_lines if line.split()[0] == topic)
    (OUT / "cases/dupq.qrels").write_text("\n".join(qrel_lines + [dup]) + "\n")
    # Levels 1 and 2 without 0: trec_eval's gain sort leaves the empty
    # level 0 last with these gains, and the ideal ranking starts there.
    (OUT / "cases/gains.qrels").write_text("A 0 a 1\nA 0 b 2\nA 0 c -1\nB 0 a 0\nB 0 b 3\n")
    (OUT / "cases/gains.run").write_text("A Q0 b 1 2 r\nA Q0 a 2 1 r\nB Q0 a 1 1 r\nB Q0 b 2 0.5 r\n")
    refusals = [
        ("gain_order", ["-q", "-m", "G.1=0.3,2=0.9", "-m", "ndcg.1=0.3,2=0.9", "-m", "ndcg_rel.1=0.3,2=0.9",
                        "-m", "Rndcg.1=0.3,2=0.9", "cases/gains.qrels", "cases/gains.run"]),
        ("gain_order_level0", ["-q", "-m", "G.0=5,1=0.3,2=0.9", "-m", "ndcg.0=5,1=0.3,2=0.9",
                               "cases/gains.qrels", "cases/gains.run"]),
        ("err_unknown_measure", ["-m", "foo.5", q, r]),
        ("err_empty_params", ["-m", "P.", q, r]),
        ("err_bad_option", ["-a", q, r]),
        ("err_long_ambiguous", ["--Re=qrels", q, r]),
        ("long_abbreviation", ["--N=3", "--meas", "utility.1,1,1,1", "--nosum", "-q", q, r]),
        ("err_dup_judgment", ["cases/dupq.qrels", r]),
        ("err_one_operand", [q]),
        ("err_three_operands", [q, r, r]),
        ("err_missing_arg", [q, r, "-m"]),
        ("err_zero_cutoff", ["-m", "P.0", q, r]),
        ("err_dup_cutoff", ["-m", "P.5,5", q, r]),
        ("err_pairs", ["-m", "ndcg.1=2,3", q, r]),
        ("err_missing_file", [q, "cases/nonexistent.run"]),
        ("err_prefs", ["-m", "prefs_simp", q, r]),
        ("err_utility_coefficients", ["-m", "utility.1,2", q, r]),
        ("err_rel_format", ["-R", "nonsense", q, r]),
        ("err_no_shared_topic", ["cases/c00.qrels", "cases/other.run"]),
        ("err_duplicate_doc", ["cases/c00.qrels", "cases/dup.run"]),
        ("err_short_line", ["cases/c00.qrels", "cases/short.run"]),
        ("version", ["-v", "-x", q, r]),
        ("first_list_wins", ["-m", "ndcg_cut.10", "-m", "ndcg_cut.5,100", q, r]),
        ("nickname_params", ["-m", "official.5", q, r]),
        ("params_ignored", ["-m", "map.5", "-m", "num_q.x", q, r]),
        ("lenient_numbers", ["-l", "1x", "-M", " 7abc", "-m", "P.3x,1", "-m", "set_F.0.5e0", q, r]),
        ("debug_query", ["-D", "0." + topic, "-c", "-q", q, r]),
        ("double_dash", ["-q", "--", q, r]),
        ("obsolete_o", ["-o", "-m", "map", q, r]),
    ]
    cases += refusals

    manifest = []
    for name, args in cases:
        status, out = run_trec_eval(binary, args)
        expected = f"expected/{name}.out"
        (OUT / expected).write_bytes(out)
        manifest.append({"name": name, "args": args, "status": status, "stdout": expected})
    with open(OUT / "cases.json", "w") as f:
        json.dump(manifest, f, indent=1)
        f.write("\n")
    print(f"{len(manifest)} command lines", file=sys.stderr)


if __name__ == "__main__":
    main()
