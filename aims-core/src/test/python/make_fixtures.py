#!/usr/bin/python3
"""Reference values for AIMS's drift and fairness monitors, computed with SciPy and numpy.

Run with Debian's python3 (apt-get install python3-scipy):

    /usr/bin/python3 aims-core/src/test/python/make_fixtures.py

It writes JSON fixtures to aims-core/src/test/resources/monitor/. The Java tests
(dev.aims.core.monitor.*FixtureTest) read them and must reproduce every expected value.
CI (.ci/run) regenerates the files and fails if they changed, so the fixtures always come
from this script. Samples are seeded and rounded to 6 decimals before anything is computed,
so Java parses exactly the doubles Python used.

Every expected figure comes from the reference's own functions with their defaults, not from
AIMS's rules:
  * KS: scipy.stats.ks_2samp(reference, current) (method='auto');
  * Wasserstein: scipy.stats.wasserstein_distance, and np.std(reference) for the normed form;
  * PSI: the conventional decile PSI in numpy (psi_deciles below): buckets cut at
    np.quantile(reference, [0.1, ..., 0.9]), open at both ends, shares floored at 1e-4;
  * Jensen-Shannon: scipy.spatial.distance.jensenshannon over the same buckets (default base e);
  * chi-square: scipy.stats.chi2_contingency(table, correction=False) on the 2 x k table of the
    same buckets, columns empty in both rows left out (chi2_contingency rejects them);
  * quantiles: np.quantile (default "linear").
A reference with at most 5 distinct values is the one place AIMS deliberately differs: it keeps
one bucket per value (docs/monitoring.md), so for those cases the buckets are the distinct values
of both samples (np.unique), i.e. the variable treated as categorical, and the current samples
only take values the reference has or values outside its range.
"""
import json
import os

import numpy as np
import scipy
from scipy import stats
from scipy.spatial.distance import jensenshannon

FLOOR = 1e-4
MAX_CATEGORIES = 20

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "resources", "monitor")


def r6(a):
    """Rounds to 6 decimals so the JSON text is short and both languages read the same doubles."""
    return np.round(np.asarray(a, dtype=float), 6)


def psi_shares(ref_counts, cur_counts):
    p = np.maximum(ref_counts / ref_counts.sum(), FLOOR)
    q = np.maximum(cur_counts / cur_counts.sum(), FLOOR)
    return float(np.sum((q - p) * np.log(q / p)))


def decile_buckets(ref, cur):
    """The conventional decile buckets: cut at the reference's deciles, open at both ends."""
    cuts = np.quantile(ref, np.arange(1, 10) / 10)
    rc = np.bincount(np.searchsorted(cuts, ref, side="right"), minlength=10)
    cc = np.bincount(np.searchsorted(cuts, cur, side="right"), minlength=10)
    return rc, cc


def value_buckets(ref, cur):
    """A discrete variable as categories: one bucket per distinct value of either sample."""
    values = np.unique(np.concatenate([ref, cur]))
    rc = np.array([(ref == v).sum() for v in values])
    cc = np.array([(cur == v).sum() for v in values])
    return rc, cc


def chi_square(ref_counts, cur_counts):
    table = np.array([ref_counts, cur_counts])
    table = table[:, table.sum(axis=0) > 0]
    if table.shape[1] < 2:
        return 0.0, 1.0, 0
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=False)
    return float(chi2), float(p), int(dof)


def numeric_case(name, ref, cur, window):
    ref, cur = r6(ref), r6(cur)
    discrete = bool(len(np.unique(ref)) <= 5)
    rc, cc = value_buckets(ref, cur) if discrete else decile_buckets(ref, cur)
    ks = stats.ks_2samp(ref, cur)
    w = float(stats.wasserstein_distance(ref, cur))
    std = float(np.std(ref))
    chi2, chi_p, dof = chi_square(rc, cc)
    return {
        "name": name,
        "window": window,
        "reference": ref.tolist(),
        "current": cur.tolist(),
        "discrete": discrete,
        "buckets": "values" if discrete else "deciles",
        "percentiles": np.quantile(ref, np.arange(1, 100) / 100).tolist(),
        "deciles": np.quantile(ref, np.arange(1, 10) / 10).tolist(),
        "reference_bucket_counts": rc.tolist(),
        "current_bucket_counts": cc.tolist(),
        "psi": psi_shares(rc, cc),
        "jensen_shannon": float(jensenshannon(rc, cc)),
        "chi_square": chi2,
        "chi_square_p_value": chi_p,
        "chi_square_dof": dof,
        "ks_statistic": float(ks.statistic),
        "ks_p_value": float(ks.pvalue),
        "ks_method": "exact" if max(len(ref), len(cur)) <= 10000 else "asymp",
        "wasserstein": w,
        "reference_std": std,
        "wasserstein_normed": w / max(std, 0.001),
    }


def numeric_cases(rng):
    """window: how AIMS holds the current sample in a count window of its size -- "exact" (raw
    values: both samples at most 2,000) or "binned"."""
    def case(name, ref, cur):
        window = "exact" if len(ref) <= 2000 and len(cur) <= 2000 else "binned"
        return numeric_case(name, ref, cur, window)

    return [
        case("normal, no drift", rng.normal(0, 1, 800), rng.normal(0, 1, 600)),
        case("normal, mean shift 0.3", rng.normal(0, 1, 800), rng.normal(0.3, 1, 600)),
        case("lognormal income, equal sizes, scale x1.15", rng.lognormal(10.8, 0.5, 1000),
             1.15 * rng.lognormal(10.8, 0.5, 1000)),
        case("poisson counts with ties", rng.poisson(6, 500), rng.poisson(6.5, 400)),
        case("three values (discrete)", rng.choice([0.0, 1.0, 2.0], 900, p=[.5, .3, .2]),
             rng.choice([0.0, 1.0, 2.0], 700, p=[.4, .3, .3])),
        case("constant reference, values below and above it", np.full(200, 3.0),
             rng.choice([2.0, 3.0, 4.0], 200, p=[.05, .9, .05])),
        case("small samples", rng.normal(0, 1, 30), rng.normal(0.5, 1.2, 25)),
        case("uniform, current wider than reference", rng.uniform(0, 1, 1000), rng.uniform(-0.2, 1.3, 900)),
        case("normal 2000 x 1000, mean shift 0.1", rng.normal(0, 1, 2000), rng.normal(0.1, 1, 1000)),
        case("normal 1500 x 1000, strong drift, tiny p-value", rng.normal(0, 1, 1500), rng.normal(0.4, 1, 1000)),
        case("student t (3 dof) 2000 x 2000, no drift", rng.standard_t(3, 2000), rng.standard_t(3, 2000)),
        case("exponential 1200 x 700, scale x1.1", rng.exponential(1.0, 1200), rng.exponential(1.1, 700)),
        case("bimodal mixture 2000 x 1500, weights shift",
             np.concatenate([rng.normal(-2, 1, 1000), rng.normal(2, 1, 1000)]),
             np.concatenate([rng.normal(-2, 1, 650), rng.normal(2, 1, 850)])),
        case("beta(2, 5) 1800 x 1999 against beta(2.3, 5)", rng.beta(2, 5, 1800), rng.beta(2.3, 5, 1999)),
        # D = 1/30 on equal sizes: SciPy's exact series for n == m gives 1.0000000000000002, not a
        # probability, so ks_2samp warns and falls back to the asymptotic p-value
        case("equal sizes 30 x 30, D = 1/30: SciPy's exact-to-asymptotic fallback", np.arange(30) * 2.0,
             np.arange(30) * 2.0 + 1),
        case("binned window: gamma, 1000 vs 10000", rng.gamma(2.0, 2.0, 1000), rng.gamma(2.2, 2.0, 10000)),
        case("binned window: normal 4000 x 3000, mean shift 0.05", rng.normal(0, 1, 4000),
             rng.normal(0.05, 1, 3000)),
        case("binned window: lognormal 5000 x 8000, no drift", rng.lognormal(0, 0.7, 5000),
             rng.lognormal(0, 0.7, 8000)),
        case("binned window, asymptotic KS: normal 12000 x 3000", rng.normal(0, 1, 12000),
             rng.normal(0.05, 1, 3000)),
    ]


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
        "psi": psi_shares(rc, cc),
        "jensen_shannon": float(jensenshannon(rc, cc)),
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
    overall = float(pred.mean())
    # Fairlearn MetricFrame ratio/difference with method='to_overall', over the groups that have a figure
    # (AIMS leaves out groups below the minimum size, as for every figure)
    for name in rates:
        per[name]["selection_rate_to_overall"] = rates[name] / overall
    # the same for the labelled rates: the overall rate pooled over all data (MetricFrame.overall)
    lab_all = labelled
    pos_all, neg_all = lab_all & actual, lab_all & ~actual
    pooled = {"true_positive_rate": (pred[pos_all].mean(), pos_all.sum(), tprs),
              "false_positive_rate": (pred[neg_all].mean(), neg_all.sum(), fprs)}
    accs = {name: per[name]["accuracy"] for name in groups if "accuracy" in per[name]}
    pooled["accuracy"] = ((pred[lab_all] == actual[lab_all]).mean(), lab_all.sum(), accs)
    to_overall = {}
    for metric, (o, den, values) in pooled.items():
        o = float(o)
        for name, x in values.items():
            per[name][metric + "_to_overall"] = x / o
        to_overall[metric] = {"overall": o, "denominator": int(den),
                              "ratio": float(min(min(x / o, o / x) for x in values.values())),
                              "difference": float(max(abs(x - o) for x in values.values()))}
    out["expected"] = {
        "to_overall": to_overall,
        "overall_selection_rate": overall,
        "selection_rate_ratio_to_overall": float(min(min(x / overall, overall / x) for x in rates.values())),
        "selection_rate_difference_to_overall": float(max(abs(x - overall) for x in rates.values())),
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
