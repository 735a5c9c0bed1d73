package dev.aims.core.monitor;

/**
 * Kolmogorov–Smirnov and Wasserstein-1 from two histograms over the same fine bins, each with a
 * proven bound on its error against the same statistic on the raw values (docs/monitoring.md).
 *
 * <p>Both cumulative distributions are known exactly at every edge. Inside a bin, with {@code p}
 * and {@code q} the reference's and the current's share of the bin and {@code D} the difference
 * of the cumulative shares at the bin's lower edge, {@code F − G} stays within
 * {@code [D − q, D + p]}.
 *
 * <ul>
 *   <li>KS: the statistic is taken at the edges (a lower bound of the true supremum); the true one
 *       is at most {@code max(|D − q|, |D + p|)} over the bins.
 *   <li>Wasserstein: with the sum of the values in each bin, {@code ∫(F − G)} over a bin is exact
 *       ({@code ∫F = width·F(lower) + (count·upper − sum)/n}). Where {@code F − G} cannot change
 *       sign inside the bin ({@code D − q >= 0} or {@code D + p <= 0}), {@code ∫|F − G| = |∫(F − G)|}
 *       exactly. Elsewhere the true value lies in {@code [|∫(F − G)|, width·max(|D − q|, |D + p|)]};
 *       the estimate puts each distribution's mass in the bin at its mean there, clamped to that
 *       interval, and the bound is its distance to the far end. The open bins below and above the
 *       reference use the sums alone (a distribution with no mass there contributes exactly).
 * </ul>
 */
final class BinnedStatistics {
  private BinnedStatistics() {}

  /** An estimate and the largest possible distance to the statistic on the raw values. */
  record Bounded(double value, double bound) {}

  static Bounded ks(Histogram ref, Histogram cur) {
    double n = ref.total();
    double m = cur.total();
    long[] r = ref.counts();
    long[] c = cur.counts();
    double fa = 0;
    double ga = 0;
    double atEdges = 0;
    double upper = 0;
    for (int b = 0; b < r.length; b++) {
      double p = r[b] / n;
      double q = c[b] / m;
      double d = fa - ga;
      upper = Math.max(upper, Math.max(Math.abs(d - q), Math.abs(d + p)));
      fa += p;
      ga += q;
      if (b < r.length - 1) {
        atEdges = Math.max(atEdges, Math.abs(fa - ga));
      }
    }
    return new Bounded(atEdges, Math.max(0, upper - atEdges));
  }

  /** Unnormalised Wasserstein-1; divide value and bound by the reference spread. */
  static Bounded wasserstein(Histogram ref, Histogram cur, double[] edges) {
    double n = ref.total();
    double m = cur.total();
    long[] r = ref.counts();
    long[] c = cur.counts();
    double[] rs = ref.sums();
    double[] cs = cur.sums();
    int last = r.length - 1;
    double total = 0;
    double bound = 0;
    // below the first edge: ∫F = Σ(e0 − x)/n over the values there
    double e0 = edges[0];
    double fBelow = (r[0] * e0 - rs[0]) / n;
    double gBelow = (c[0] * e0 - cs[0]) / m;
    if (r[0] == 0 || c[0] == 0) {
      total += fBelow + gBelow;
    } else {
      double exact = Math.abs(fBelow - gBelow);
      total += exact;
      bound += fBelow + gBelow - exact;
    }
    double fa = r[0] / n;
    double ga = c[0] / m;
    for (int b = 1; b < last; b++) {
      double lo = edges[b - 1];
      double hi = edges[b];
      double w = hi - lo;
      double p = r[b] / n;
      double q = c[b] / m;
      double d = fa - ga;
      double integralF = w * fa + (r[b] * hi - rs[b]) / n;
      double integralG = w * ga + (c[b] * hi - cs[b]) / m;
      double a = Math.abs(integralF - integralG);
      if (d - q >= 0 || d + p <= 0) {
        total += a;
      } else {
        double u = w * Math.max(Math.abs(d - q), Math.abs(d + p));
        // each distribution's mass in the bin placed at its mean in the bin: exact for values that
        // sit on one point (ties, integers), and consistent with the exact ∫(F − G)
        double muF = r[b] == 0 ? lo : clampTo(rs[b] / r[b], lo, hi);
        double muG = c[b] == 0 ? lo : clampTo(cs[b] / c[b], lo, hi);
        double first = Math.min(muF, muG);
        double second = Math.max(muF, muG);
        double middle = muF <= muG ? d + p : d - q;
        double atMeans = Math.abs(d) * (first - lo) + Math.abs(middle) * (second - first)
            + Math.abs(d + p - q) * (hi - second);
        double est = Math.min(Math.max(atMeans, a), Math.max(u, a));
        total += est;
        bound += Math.max(est - a, Math.max(u, a) - est);
      }
      fa += p;
      ga += q;
    }
    // at and above the last edge: ∫(1 − F) = Σ(x − e)/n over the values there
    double eTop = edges[edges.length - 1];
    double fAbove = (rs[last] - r[last] * eTop) / n;
    double gAbove = (cs[last] - c[last] * eTop) / m;
    if (r[last] == 0 || c[last] == 0) {
      total += fAbove + gAbove;
    } else {
      double exact = Math.abs(fAbove - gAbove);
      total += exact;
      bound += fAbove + gAbove - exact;
    }
    return new Bounded(total, bound);
  }

  private static double clampTo(double x, double lo, double hi) {
    return x < lo ? lo : x > hi ? hi : x;
  }
}
