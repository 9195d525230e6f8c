import fc from 'fast-check';
import {
  betaQuantile,
  clopperPearsonInterval,
  designEffect,
  effectiveSampleSize,
  formatRate,
  isSmallCell,
  lnGamma,
  minimumSampleSize,
  normalQuantile,
  oneSidedBounds,
  pooledEstimate,
  postStratifiedEstimate,
  rateInterval,
  regularizedIncompleteBeta,
  suppressCount,
  suppressRate,
  summarizeRate,
  targetStatus,
  wilsonInterval,
  zForLevel,
  type Target,
} from '../../common/stats';

/** Published percentages are matched within ±0.015 percentage points (metrics.md §5). */
const TOL = 0.015;
function expectPct(fraction: number, publishedPercent: number): void {
  expect(Math.abs(fraction * 100 - publishedPercent)).toBeLessThanOrEqual(TOL);
}

describe('special functions', () => {
  test('normal quantile', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 12);
    expect(normalQuantile(0.95)).toBeCloseTo(1.6448536269514722, 12);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 9);
    expect(zForLevel(0.9)).toBeCloseTo(1.6448536269514722, 12);
    expect(() => zForLevel(1)).toThrow(RangeError);
  });

  test('log-gamma and incomplete beta against closed forms', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
    expect(lnGamma(0.25)).toBeCloseTo(1.2880225246980774, 12); // Γ(1/4) = 3.6256099082219083
    expect(lnGamma(1000)).toBeCloseTo(5905.220423209181, 8);
    // I_x(a, 1) = x^a and I_x(1, b) = 1 − (1 − x)^b
    expect(regularizedIncompleteBeta(0.3, 4, 1)).toBeCloseTo(0.3 ** 4, 13);
    expect(regularizedIncompleteBeta(0.3, 1, 6)).toBeCloseTo(1 - 0.7 ** 6, 13);
    // I_x(2, 3) = 6x² − 8x³ + 3x⁴ (integer parameters: a binomial tail); at 0.3 that is 0.3483
    expect(regularizedIncompleteBeta(0.3, 2, 3)).toBeCloseTo(0.3483, 12);
    // symmetry I_x(a, b) = 1 − I_{1−x}(b, a)
    expect(regularizedIncompleteBeta(0.42, 7.5, 3.25)).toBeCloseTo(1 - regularizedIncompleteBeta(0.58, 3.25, 7.5), 13);
  });

  test('beta quantile inverts the incomplete beta, including large parameters', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 0.999, noNaN: true }),
        fc.double({ min: 0.5, max: 5000, noNaN: true }),
        fc.double({ min: 0.5, max: 5000, noNaN: true }),
        (p, a, b) => {
          const x = betaQuantile(p, a, b);
          expect(x).toBeGreaterThanOrEqual(0);
          expect(x).toBeLessThanOrEqual(1);
          expect(regularizedIncompleteBeta(x, a, b)).toBeCloseTo(p, 8);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('known answers (metrics.md §5)', () => {
  test('Wilson 95%', () => {
    const a = wilsonInterval(12, 12);
    expectPct(a.lower, 75.75);
    expect(a.upper).toBe(1);
    const b = wilsonInterval(11, 12);
    expectPct(b.lower, 64.61);
    expectPct(b.upper, 98.51);
    const c = wilsonInterval(980, 1000);
    expectPct(c.lower, 96.93);
    expectPct(c.upper, 98.7);
  });

  test('Clopper–Pearson 95%', () => {
    const a = clopperPearsonInterval(12, 12);
    expectPct(a.lower, 73.54);
    expect(a.upper).toBe(1);
    expect(a.lower).toBeCloseTo(0.025 ** (1 / 12), 14); // closed form at x = n
    const b = clopperPearsonInterval(11, 12);
    expectPct(b.lower, 61.52);
    expectPct(b.upper, 99.79);
    const z = clopperPearsonInterval(0, 12);
    expect(z.lower).toBe(0);
    expect(z.upper).toBeCloseTo(1 - 0.025 ** (1 / 12), 14);
  });

  test('rateInterval says which method it used', () => {
    expect(rateInterval(11, 12).method).toBe('wilson');
    expect(rateInterval(12, 12).method).toBe('clopper-pearson');
    expect(rateInterval(0, 12).method).toBe('clopper-pearson');
    expect(rateInterval(11, 12, 0.95, 'clopper-pearson').method).toBe('clopper-pearson');
    expect(() => rateInterval(0, 0)).toThrow(RangeError);
    expect(() => rateInterval(13, 12)).toThrow(RangeError);
  });

  test('one-sided lower bound at 12/12 is 77.9% and 12/12 vs 98% is inconclusive', () => {
    const b = oneSidedBounds(12, 12);
    expect(b.twoSidedLevel).toBe(0.9);
    expect(b.method).toBe('clopper-pearson');
    expect(Math.abs(b.lower * 100 - 77.9)).toBeLessThanOrEqual(0.01 + 0.05); // published at one decimal
    expect(b.lower).toBeCloseTo(0.05 ** (1 / 12), 14);
    const s = targetStatus({ x: 12, n: 12, target: { op: '>=', value: 0.98 } });
    expect(s.official).toBe('met');
    expect(s.statistical).toBe('inconclusive');
  });

  test('minimum n to prove ≥ 98%: 149 with no failure, 236 with one', () => {
    const target: Target = { op: '>=', value: 0.98 };
    expect(minimumSampleSize({ target, failures: 0 })).toBe(149);
    expect(minimumSampleSize({ target, failures: 1 })).toBe(236);
    // and it really is the boundary
    expect(targetStatus({ x: 149, n: 149, target }).statistical).toBe('met');
    expect(targetStatus({ x: 148, n: 148, target }).statistical).toBe('inconclusive');
    expect(targetStatus({ x: 235, n: 236, target, method: 'clopper-pearson' }).statistical).toBe('met');
    expect(targetStatus({ x: 234, n: 235, target, method: 'clopper-pearson' }).statistical).toBe('inconclusive');
  });

  test("minimum n with method 'auto' matches targetStatus's default", () => {
    const target: Target = { op: '>=', value: 0.95 };
    for (const failures of [0, 1, 2, 5]) {
      const n = minimumSampleSize({ target, failures, method: 'auto' });
      expect(n).not.toBeNull();
      const nn = n as number;
      expect(targetStatus({ x: nn - failures, n: nn, target }).statistical).toBe('met');
      expect(targetStatus({ x: nn - 1 - failures, n: nn - 1, target }).statistical).not.toBe('met');
    }
  });

  test('a target of 100% can never be proven; a "≤" target mirrors', () => {
    expect(minimumSampleSize({ target: { op: '>=', value: 1 }, failures: 0, maxN: 100000 })).toBeNull();
    // "complications ≤ 2%" with zero events: same n as "≥ 98%" with zero failures
    expect(minimumSampleSize({ target: { op: '<=', value: 0.02 }, failures: 0 })).toBe(149);
    expect(minimumSampleSize({ target: { op: '<=', value: 0.02 }, failures: 1 })).toBe(236);
  });

  test('published rates', () => {
    expectPct(4430 / 4700, 94.26);
    expectPct(370 / 4700, 7.87);
    expectPct(256 / 1776, 14.41);
    expect(formatRate(4430 / 4700, 2)).toBe('94.26%');
    expect(formatRate(370 / 4700, 2)).toBe('7.87%');
    expect(formatRate(256 / 1776, 2)).toBe('14.41%');
    expect(formatRate(380 / 1400, 1)).toBe('27.1%');
  });
});

describe('targetStatus', () => {
  test('all four operators and both columns', () => {
    // 90/100: one-sided 95% Wilson bounds ≈ [0.8426, 0.9394]
    const at = (op: Target['op'], value: number) => targetStatus({ x: 90, n: 100, target: { op, value } });
    expect(at('>=', 0.8)).toMatchObject({ official: 'met', statistical: 'met' });
    expect(at('>=', 0.88)).toMatchObject({ official: 'met', statistical: 'inconclusive' });
    expect(at('>=', 0.92)).toMatchObject({ official: 'not_met', statistical: 'inconclusive' });
    expect(at('>=', 0.97)).toMatchObject({ official: 'not_met', statistical: 'not_met' });
    expect(at('>=', 0.9)).toMatchObject({ official: 'met' });
    expect(at('>', 0.9)).toMatchObject({ official: 'not_met', statistical: 'inconclusive' });
    expect(at('<=', 0.97)).toMatchObject({ official: 'met', statistical: 'met' });
    expect(at('<=', 0.8)).toMatchObject({ official: 'not_met', statistical: 'not_met' });
    expect(at('<', 0.9)).toMatchObject({ official: 'not_met', statistical: 'inconclusive' });
    expect(at('<', 0.99)).toMatchObject({ official: 'met', statistical: 'met' });
  });

  test('n = 0 is no data', () => {
    expect(targetStatus({ x: 0, n: 0, target: { op: '>=', value: 0.9 } })).toMatchObject({
      official: 'no_data',
      statistical: 'no_data',
      estimate: null,
    });
  });

  test('rejects a percent given where a fraction belongs', () => {
    expect(() => targetStatus({ x: 1, n: 2, target: { op: '>=', value: 98 } })).toThrow();
  });
});

describe('interval properties', () => {
  const counts = fc.integer({ min: 1, max: 5000 }).chain((n) => fc.tuple(fc.integer({ min: 0, max: n }), fc.constant(n)));
  const level = fc.constantFrom(0.8, 0.9, 0.95, 0.99);

  test('contains the point estimate and stays inside [0, 1] (both methods)', () => {
    fc.assert(
      fc.property(counts, level, ([x, n], lvl) => {
        for (const ci of [wilsonInterval(x, n, lvl), clopperPearsonInterval(x, n, lvl), rateInterval(x, n, lvl)]) {
          expect(ci.lower).toBeGreaterThanOrEqual(0);
          expect(ci.upper).toBeLessThanOrEqual(1);
          expect(ci.lower).toBeLessThanOrEqual(x / n + 1e-12);
          expect(ci.upper).toBeGreaterThanOrEqual(x / n - 1e-12);
          expect(ci.lower).toBeLessThan(ci.upper);
        }
      }),
      { numRuns: 300 },
    );
  });

  test('narrows as n grows at a fixed p', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 1, max: 20 }), fc.integer({ min: 2, max: 50 }), (a, b, k) => {
        // p = a / (a + b), sample sizes (a + b) and k(a + b)
        const n = a + b;
        const small = rateInterval(a, n);
        const big = rateInterval(a * k, n * k);
        expect(big.upper - big.lower).toBeLessThan(small.upper - small.lower);
      }),
      { numRuns: 300 },
    );
  });

  test('a higher level gives a wider interval', () => {
    fc.assert(
      fc.property(counts, ([x, n]) => {
        const a = rateInterval(x, n, 0.9);
        const b = rateInterval(x, n, 0.99);
        expect(b.lower).toBeLessThanOrEqual(a.lower);
        expect(b.upper).toBeGreaterThanOrEqual(a.upper);
      }),
    );
  });

  test('Clopper–Pearson contains Wilson at the extremes (x = 0 or x = n), "-ish"', () => {
    // Strictly for small n, and always at the 90% level used for one-sided 95% target status.
    // For large n at 95%/99% the exact lower bound at x = n, 1 − ln(2/α)/n, sits slightly above
    // Wilson's n/(n + z²) (first at n = 46 for 95%), so there the check is "within 2/n".
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5000 }), fc.boolean(), level, (n, allYes, lvl) => {
        const x = allYes ? n : 0;
        const cp = clopperPearsonInterval(x, n, lvl);
        const w = wilsonInterval(x, n, lvl);
        const slack = n <= 12 || lvl <= 0.9 ? 1e-12 : 2 / n;
        expect(cp.lower).toBeLessThanOrEqual(w.lower + slack);
        expect(cp.upper).toBeGreaterThanOrEqual(w.upper - slack);
      }),
    );
  });

  test('status consistency: statistical met ⇒ official met, statistical not_met ⇒ official not_met', () => {
    const target = fc.record({ op: fc.constantFrom<Target['op']>('>=', '>', '<=', '<'), value: fc.double({ min: 0, max: 1, noNaN: true }) });
    fc.assert(
      fc.property(counts, target, ([x, n], t) => {
        const s = targetStatus({ x, n, target: t });
        if (s.statistical === 'met') expect(s.official).toBe('met');
        if (s.statistical === 'not_met') expect(s.official).toBe('not_met');
      }),
      { numRuns: 500 },
    );
  });
});

describe('estimates above one sample', () => {
  test('post-stratified estimate weights by population, pooled does not', () => {
    const strata = [
      { id: 'A', x: 12, n: 12, N: 300 },
      { id: 'B', x: 10, n: 12, N: 100 },
    ];
    const ps = postStratifiedEstimate(strata);
    expect(ps).not.toBeNull();
    const e = ps!;
    expect(e.estimate).toBeCloseTo(0.75 * 1 + 0.25 * (10 / 12), 14);
    // variance: only B contributes: W² (1 − n/N) s²/n, s² = p(1 − p) n/(n − 1)
    const pB = 10 / 12;
    const s2 = (pB * (1 - pB) * 12) / 11;
    expect(e.variance).toBeCloseTo(0.25 ** 2 * (1 - 12 / 100) * (s2 / 12), 15);
    expect(e.intervalMethod).toBe('normal');
    expect(e.lower).toBeCloseTo(e.estimate - zForLevel(0.95) * Math.sqrt(e.variance), 12);
    expect(e.upper).toBe(1); // clipped
    expect(e.effectiveN).toBeCloseTo((e.estimate * (1 - e.estimate)) / e.variance, 9);
    const pooled = pooledEstimate(strata)!;
    expect(pooled.estimate).toBeCloseTo(22 / 24, 14);
    expect(pooled.estimate).not.toBeCloseTo(e.estimate, 3);
  });

  test('equal sampling fractions: post-stratified equals pooled', () => {
    const strata = [
      { x: 30, n: 40, N: 400 },
      { x: 9, n: 10, N: 100 },
      { x: 17, n: 20, N: 200 },
    ];
    expect(postStratifiedEstimate(strata)!.estimate).toBeCloseTo(pooledEstimate(strata)!.estimate, 14);
  });

  test('census of a stratum (n = N) has no sampling variance; zero variance falls back to an exact interval', () => {
    const full = postStratifiedEstimate([
      { x: 8, n: 10, N: 10 },
      { x: 5, n: 10, N: 100 },
    ])!;
    const w = 100 / 110;
    const s2 = (0.25 * 10) / 9;
    expect(full.variance).toBeCloseTo(w * w * (1 - 0.1) * (s2 / 10), 15);
    const allYes = postStratifiedEstimate([
      { x: 12, n: 12, N: 300 },
      { x: 12, n: 12, N: 100 },
    ])!;
    expect(allYes.estimate).toBe(1);
    expect(allYes.warnings).toContain('zero_variance');
    expect(allYes.intervalMethod).toBe('clopper-pearson-fallback');
    expect(allYes.lower).toBeCloseTo(0.025 ** (1 / 24), 12);
    expect(allYes.upper).toBe(1);
  });

  test('unsampled strata are reported and weights renormalised', () => {
    const e = postStratifiedEstimate([
      { id: 'A', x: 6, n: 10, N: 100 },
      { id: 'B', x: 0, n: 0, N: 300 },
    ])!;
    expect(e.estimate).toBeCloseTo(0.6, 14);
    expect(e.strataUnsampled).toEqual(['B']);
    expect(e.populationCoveredShare).toBeCloseTo(0.25, 14);
    expect(e.warnings).toContain('unsampled_strata');
    expect(postStratifiedEstimate([{ x: 0, n: 0, N: 10 }])).toBeNull();
    expect(pooledEstimate([])).toBeNull();
  });

  test('post-stratified interval stays inside [0, 1] and contains the estimate', () => {
    const stratum = fc.integer({ min: 1, max: 200 }).chain((n) =>
      fc.record({ x: fc.integer({ min: 0, max: n }), n: fc.constant(n), N: fc.integer({ min: n, max: 5000 }) }),
    );
    fc.assert(
      fc.property(fc.array(stratum, { minLength: 1, maxLength: 8 }), (strata) => {
        const e = postStratifiedEstimate(strata)!;
        expect(e.lower).toBeGreaterThanOrEqual(0);
        expect(e.upper).toBeLessThanOrEqual(1);
        expect(e.lower).toBeLessThanOrEqual(e.estimate + 1e-12);
        expect(e.upper).toBeGreaterThanOrEqual(e.estimate - 1e-12);
      }),
    );
  });

  test('design effect and effective n', () => {
    expect(designEffect(12, 0.05)).toBeCloseTo(1.55, 14);
    expect(designEffect(1, 0.9)).toBe(1);
    expect(effectiveSampleSize(620, designEffect(12, 0.05))).toBeCloseTo(400, 9);
    expect(() => designEffect(0, 0.1)).toThrow(RangeError);
    expect(() => effectiveSampleSize(10, 0)).toThrow(RangeError);
  });
});

describe('small-cell suppression', () => {
  test('counts below 5 are suppressed', () => {
    expect(isSmallCell(4)).toBe(true);
    expect(isSmallCell(5)).toBe(false);
    expect(isSmallCell(0)).toBe(true);
    expect(isSmallCell(0, 5, true)).toBe(false);
    expect(suppressCount(3)).toEqual({ value: null, suppressed: true });
    expect(suppressCount(7)).toEqual({ value: 7, suppressed: false });
  });

  test('rates: small denominator, small numerator, optional complement', () => {
    expect(suppressRate(2, 4)).toMatchObject({ suppressed: true, reason: 'small_denominator', rate: null });
    expect(suppressRate(3, 40)).toMatchObject({ suppressed: true, reason: 'small_numerator' });
    expect(suppressRate(0, 40)).toMatchObject({ suppressed: false, rate: 0 });
    expect(suppressRate(11, 12)).toMatchObject({ suppressed: false });
    expect(suppressRate(11, 12, { checkComplement: true })).toMatchObject({ suppressed: true, reason: 'small_complement' });
  });
});

describe('formatRate', () => {
  test('never shows 100% below 1, nor 0% above 0', () => {
    expect(formatRate(999 / 1000, 0)).toBe('>99%');
    expect(formatRate(0.9995, 1)).toBe('>99.9%');
    expect(formatRate(0.9994, 1)).toBe('99.9%');
    expect(formatRate(1, 1)).toBe('100.0%');
    expect(formatRate(1, 0)).toBe('100%');
    expect(formatRate(1 / 5000, 1)).toBe('<0.1%');
    expect(formatRate(0, 1)).toBe('0.0%');
    expect(formatRate(0.00051, 1)).toBe('0.1%');
  });

  test('half up, without binary noise', () => {
    expect(formatRate(0.125, 0)).toBe('13%');
    expect(formatRate(0.12345, 2)).toBe('12.35%');
    expect(formatRate(0.5, 1)).toBe('50.0%');
  });

  test('no value and bad input', () => {
    expect(formatRate(null, 1)).toBe('—');
    expect(formatRate(Number.NaN, 1)).toBe('—');
    expect(() => formatRate(94.26, 2)).toThrow(RangeError);
    expect(() => formatRate(0.5, 1.5)).toThrow(RangeError);
  });

  test('property: the shown number is within half a step of the truth, and never 100 below 1', () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: 0, max: 3 }), (p, d) => {
        const s = formatRate(p, d);
        if (s.startsWith('>') || s.startsWith('<')) {
          const bound = Number(s.slice(1, -1));
          if (s.startsWith('>')) expect(p * 100).toBeGreaterThan(bound);
          else expect(p * 100).toBeLessThan(bound);
          return;
        }
        const shown = Number(s.slice(0, -1));
        expect(Math.abs(shown - p * 100)).toBeLessThanOrEqual(0.5 / 10 ** d + 1e-9);
        if (p < 1) expect(shown).toBeLessThan(100);
        if (p > 0) expect(shown).toBeGreaterThan(0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('summarizeRate', () => {
  test('a sample: interval, both status columns, text', () => {
    const s = summarizeRate({ numerator: 12, denominator: 12, excluded: 2, target: { op: '>=', value: 0.98 } });
    expect(s).toMatchObject({ estimate: 1, method: 'clopper-pearson', text: '100.0%', intervalText: '[73.5%, 100.0%]', excluded: 2 });
    expect(s.status).toMatchObject({ official: 'met', statistical: 'inconclusive' });
  });

  test('a complete count: no interval, the official status is the statistical one', () => {
    const s = summarizeRate({ numerator: 12, denominator: 12, completeCount: true, target: { op: '>=', value: 0.98 } });
    expect(s).toMatchObject({ lower: null, upper: null, intervalText: '', method: null });
    expect(s.status).toMatchObject({ official: 'met', statistical: 'met' });
  });

  test('no data', () => {
    const s = summarizeRate({ numerator: 0, denominator: 0, target: { op: '>=', value: 0.9 } });
    expect(s).toMatchObject({ estimate: null, text: '—', intervalText: '' });
    expect(s.status).toMatchObject({ official: 'no_data', statistical: 'no_data' });
  });

  test('fractional numerators (per-respondent shares) work', () => {
    const s = summarizeRate({ numerator: 2.5, denominator: 5, decimals: 0 });
    expect(s.text).toBe('50%');
    expect(s.method).toBe('wilson');
    expect(s.lower).toBeGreaterThan(0);
  });
});
