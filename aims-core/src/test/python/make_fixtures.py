#!/usr/bin/python3
"""Reference values for AIMS's drift and fairness monitors, computed with SciPy and numpy.

Run with Debian's python3 (apt-get install python3-scipy):

    /usr/bin/python3 aims-core/src/test/python/make_fixtures.py

It writes JSON fixtures to aims-core/src/test/resources/monitor/. The Java tests
(dev.aims.core.monitor.*FixtureTest) read them and must reproduce every expected value.
CI (.ci/run) regenerates the files and fails if they changed, so the fixtures always come
from this script. Samples are seeded and rounded to 6 decimals before anything is computed,
so Java parses exactly the doubles Python used.

The rules mirrored here are AIMS's documented rules (docs/monitoring.md):
  * bins: reference with <= 5 distinct values -> one bin per distinct value; otherwise edges are
    unique({min} + numpy linear quantiles at i/B, i=1..B-1 + {nextafter(max, +inf)}); a value's
    bin is searchsorted(edges, x, side='right'), so bin 0 is "below the reference" and the last
    bin "above it";
  * PSI: shares floored at 1e-4, sum((q - p) * ln(q / p)) over all bins;
  * Jensen-Shannon: scipy.spatial.distance.jensenshannon over the same bins, base 2;
  * chi-square: scipy.stats.chi2_contingency on the 2 x k table (reference, current) without
    continuity correction, columns that are empty in both rows dropped;
  * KS: scipy.stats.ks_2samp, method 'exact' up to n*m <= 1e6, else 'asymp';
  * Wasserstein: scipy.stats.wasserstein_distance / max(np.std(reference), 0.001).
"""
import json
import os

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon

FLOOR = 1e-4
PSI_BINS = 10
FINE_PER_PSI_BIN = 10
MAX_CATEGORIES = 20
STD_FLOOR = 0.001
EXACT_KS_LIMIT = 1_000_000

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "monitor")


def r6(a):
    """Rounds to 6 decimals so the JSON text is short and both languages read the same doubles."""
    return np.round(np.asarray(a, dtype=float), 6)


def edges_for(ref, bins):
    ref = np.sort(ref)
    distinct = np.unique(ref)
    top = np.nextafter(ref[-1], np.inf)
    if len(distinct) <= 5:
        return np.concatenate([distinct, [top]])
    qs = np.quantile(ref, np.arange(1, bins) / bins)
    return np.unique(np.concatenate([[ref[0]], qs, [top]]))


def bin_counts(x, edges):
    idx = np.searchsorted(edges, x, side="right")
    return np.bincount(idx, minlength=len(edges) + 1)


def psi(ref_counts, cur_counts):
    p = np.maximum(ref_counts / ref_counts.sum(), FLOOR)
    q = np.maximum(cur_counts / cur_counts.sum(), FLOOR)
    return float(np.sum((q - p) * np.log(q / p)))


def chi_square(ref_counts, cur_counts):
    table = np.array([ref_counts, cur_counts])
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return 0.0, 1.0, 0
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    return float(chi2), float(p), int(dof)


def ks(ref, cur):
    method = "exact" if len(ref) * len(cur) <= EXACT_KS_LIMIT else "asymp"
    res = stats.ks_2samp(ref, cur, method=method)
    return float(res.statistic), float(res.pvalue), method


def numeric_case(name, ref, cur):
    ref, cur = r6(ref), r6(cur)
    edges = edges_for(ref, PSI_BINS)
    fine = edges_for(ref, PSI_BINS * FINE_PER_PSI_BIN)
    rc, cc = bin_counts(ref, edges), bin_counts(cur, edges)
    d, p, method = ks(ref, cur)
    w = float(stats.wasserstein_distance(ref, cur))
    std = float(np.std(ref))
    case = {
        "name": name,
        "reference": ref.tolist(),
        "current": cur.tolist(),
        "discrete": bool(len(np.unique(ref)) <= 5),
        "psi_edges": edges.tolist(),
        "fine_edges": fine.tolist(),
        "reference_bin_counts": rc.tolist(),
        "current_bin_counts": cc.tolist(),
        "psi": psi(rc, cc),
        "jensen_shannon": float(jensenshannon(rc, cc, base=2)),
        "ks_statistic": d,
        "ks_p_value": p,
        "ks_method": method,
        "wasserstein": w,
        "reference_std": std,
        "wasserstein_normed": w / max(std, STD_FLOOR),
    }
    chi2, chi_p, dof = chi_square(rc, cc)
    case.update({"chi_square": chi2, "chi_square_p_value": chi_p, "chi_square_dof": dof})
    return case


def numeric_cases(rng):
    cases = []
    cases.append(numeric_case("normal, no drift", rng.normal(0, 1, 800), rng.normal(0, 1, 600)))
    cases.append(numeric_case("normal, mean shift 0.3", rng.normal(0, 1, 800), rng.normal(0.3, 1, 600)))
    cases.append(numeric_case("lognormal income, equal sizes, scale x1.15",
                              rng.lognormal(10.8, 0.5, 1000), 1.15 * rng.lognormal(10.8, 0.5, 1000)))
    cases.append(numeric_case("poisson counts with ties", rng.poisson(6, 500), rng.poisson(6.5, 400)))
    cases.append(numeric_case("three values (discrete)", rng.choice([0.0, 1.0, 2.0], 900, p=[.5, .3, .2]),
                              rng.choice([0.0, 1.0, 2.0], 700, p=[.4, .3, .3])))
    cases.append(numeric_case("constant reference", np.full(200, 3.0), rng.normal(3.0, 0.1, 200)))
    cases.append(numeric_case("small samples", rng.normal(0, 1, 30), rng.normal(0.5, 1.2, 25)))
    cases.append(numeric_case("uniform, current wider than reference", rng.uniform(0, 1, 1000),
                              rng.uniform(-0.2, 1.3, 900)))
    cases.append(numeric_case("large windows, asymptotic KS", rng.normal(0, 1, 4000), rng.normal(0.05, 1, 3000)))
    cases.append(numeric_case("binned window: gamma, 1000 vs 10000", rng.gamma(2.0, 2.0, 1000),
                              rng.gamma(2.2, 2.0, 10000)))
    cases.append(numeric_case("asymptotic KS, strong drift, tiny p-value", rng.normal(0, 1, 1500),
                              rng.normal(0.4, 1, 1000)))
    return cases


def buckets(ref_counts, max_categories):
    """Top max_categories reference categories by count (ties by name); the rest is 'other'."""
    ordered = sorted(ref_counts.items(), key=lambda kv: (-kv[1], kv[0]))
    return [k for k, _ in ordered[:max_categories]]


def bucket_counts(counts, kept):
    index = {k: i for i, k in enumerate(kept)}
    out = np.zeros(len(kept) + 1, dtype=np.int64)
    for k, n in counts.items():
        out[index.get(k, len(kept))] += n
    return out


def categorical_case(name, ref_counts, cur_counts):
    kept = buckets(ref_counts, MAX_CATEGORIES)
    rc, cc = bucket_counts(ref_counts, kept), bucket_counts(cur_counts, kept)
    chi2, p, dof = chi_square(rc, cc)
    return {
        "name": name,
        "reference_counts": ref_counts,
        "current_counts": cur_counts,
        "max_categories": MAX_CATEGORIES,
        "buckets": kept,
        "reference_bucket_counts": rc.tolist(),
        "current_bucket_counts": cc.tolist(),
        "chi_square": chi2,
        "chi_square_p_value": p,
        "chi_square_dof": dof,
        "psi": psi(rc, cc),
        "jensen_shannon": float(jensenshannon(rc, cc, base=2)),
    }


def counts_of(values):
    u, c = np.unique(values, return_counts=True)
    return {str(k): int(n) for k, n in zip(u, c)}


def categorical_cases(rng):
    cats = ["branch", "mobile", "web", "partner"]
    cases = [
        categorical_case("channel, no drift", counts_of(rng.choice(cats, 900, p=[.2, .4, .3, .1])),
                         counts_of(rng.choice(cats, 800, p=[.2, .4, .3, .1]))),
        categorical_case("channel, shift to mobile", counts_of(rng.choice(cats, 900, p=[.2, .4, .3, .1])),
                         counts_of(rng.choice(cats, 800, p=[.1, .6, .25, .05]))),
        categorical_case("a category never seen in the reference",
                         counts_of(rng.choice(cats, 900, p=[.2, .4, .3, .1])),
                         counts_of(rng.choice(cats + ["kiosk"], 800, p=[.2, .35, .25, .1, .1]))),
    ]
    many = ["c%02d" % i for i in range(60)]
    w = np.arange(60, 0, -1, dtype=float)
    cases.append(categorical_case("60 categories, 20 kept, rest in 'other'",
                                  counts_of(rng.choice(many, 5000, p=w / w.sum())),
                                  counts_of(rng.choice(many, 3000, p=w[::-1] / w.sum()))))
    return cases


def fairness_case(rng):
    groups = ["18-25", "26-40", "41-65", "65+"]
    n = 5000
    g = rng.choice(len(groups), n, p=[0.3, 0.4, 0.296, 0.004])
    base = np.array([0.45, 0.62, 0.58, 0.5])[g]
    pred = rng.random(n) < base
    actual = np.where(pred, rng.random(n) < 0.8, rng.random(n) < 0.25)
    labelled = rng.random(n) < 0.6
    min_group = 30
    out = {"groups": groups, "min_group_size": min_group, "group": g.tolist(),
           "prediction": pred.astype(int).tolist(), "labelled": labelled.astype(int).tolist(),
           "actual": actual.astype(int).tolist()}
    per = {}
    rates, tprs, fprs = {}, {}, {}
    for i, name in enumerate(groups):
        m = g == i
        lab = m & labelled
        pos, neg = lab & actual, lab & ~actual
        fig = {"decisions": int(m.sum()), "favourable": int((m & pred).sum()), "labelled": int(lab.sum()),
               "positives": int(pos.sum()), "negatives": int(neg.sum())}
        if m.sum() >= min_group:
            rates[name] = float(pred[m].mean())
            fig["selection_rate"] = rates[name]
        if pos.sum() >= min_group:
            tprs[name] = float(pred[pos].mean())
            fig["true_positive_rate"] = tprs[name]
        if neg.sum() >= min_group:
            fprs[name] = float(pred[neg].mean())
            fig["false_positive_rate"] = fprs[name]
        if lab.sum() >= min_group:
            fig["accuracy"] = float((pred[lab] == actual[lab]).mean())
        per[name] = fig
    r = np.array(list(rates.values()))
    t = np.array(list(tprs.values()))
    f = np.array(list(fprs.values()))
    out["expected"] = {
        "groups": per,
        "demographic_parity_difference": float(r.max() - r.min()),
        "disparate_impact_ratio": float(r.min() / r.max()),
        "equal_opportunity_difference": float(t.max() - t.min()),
        "equalized_odds_difference": float(max(t.max() - t.min(), f.max() - f.min())),
    }
    return out


def write(name, obj):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as fh:
        json.dump(obj, fh, sort_keys=True, separators=(",", ":"))
        fh.write("\n")


def main():
    rng = np.random.default_rng(20261123)
    meta = {"generator": "aims-core/src/test/python/make_fixtures.py", "scipy": scipy.__version__,
            "numpy": np.__version__}
    write("numeric.json", {"meta": meta, "cases": numeric_cases(rng)})
    write("categorical.json", {"meta": meta, "cases": categorical_cases(rng)})
    write("fairness.json", {"meta": meta, "case": fairness_case(rng)})


if __name__ == "__main__":
    main()
