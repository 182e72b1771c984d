/**
 * Bias statistics without a GPU: Wilson intervals against Newcombe (1998) and closed forms, rates,
 * max/min ratio and MaxSkew with hand-computed values and every zero case, the report built from
 * per-image probabilities, the seed's "Top predictions" line, JSON and CSV, the presets.
 */
import { describe, it, expect } from 'vitest';
import {
  BIAS_PRESETS,
  Z_95,
  biasCsv,
  biasReport,
  biasReportJson,
  disparity,
  maxMinRatio,
  maxSkew,
  minSkew,
  rate,
  skews,
  topPredictions,
  wilsonInterval,
} from '../../src/model/bias/index.ts';
import { ClipError } from '../../src/errors.ts';

const z2 = Z_95 * Z_95;

describe('Wilson score interval', () => {
  it('z is the 97.5% normal quantile', () => {
    expect(Z_95).toBeCloseTo(1.959963984540054, 15);
  });

  it('matches Newcombe (1998), Table I, method 3 (score, no continuity correction)', () => {
    const cases: [number, number, number, number][] = [
      [81, 263, 0.2553, 0.3662],
      [15, 148, 0.0624, 0.1605],
      [0, 20, 0, 0.1611],
      [1, 29, 0.0061, 0.1718],
    ];
    for (const [k, n, lo, hi] of cases) {
      const [a, b] = wilsonInterval(k, n);
      expect(a, `${k}/${n} lo`).toBeCloseTo(lo, 4);
      expect(b, `${k}/${n} hi`).toBeCloseTo(hi, 4);
    }
    const [a, b] = wilsonInterval(5, 10);
    expect(a).toBeCloseTo(0.236593090512564, 12);
    expect(b).toBeCloseTo(0.7634069094874361, 12);
  });

  it('k = 0: [0, z²/(n + z²)] with the lower end exactly 0', () => {
    for (const n of [1, 2, 10, 1000]) {
      const [lo, hi] = wilsonInterval(0, n);
      expect(lo).toBe(0);
      expect(hi).toBeCloseTo(z2 / (n + z2), 14);
    }
  });

  it('k = n: [n/(n + z²), 1] with the upper end exactly 1', () => {
    for (const n of [1, 2, 10, 1000]) {
      const [lo, hi] = wilsonInterval(n, n);
      expect(hi).toBe(1);
      expect(lo).toBeCloseTo(n / (n + z2), 14);
    }
  });

  it('n = 1: [0, 0.79345] and [0.20655, 1]', () => {
    expect(wilsonInterval(0, 1)[1]).toBeCloseTo(0.7934506856227626, 14);
    expect(wilsonInterval(1, 1)[0]).toBeCloseTo(0.20654931437723745, 14);
  });

  it('is symmetric: (k, n) mirrors (n − k, n), and contains the rate', () => {
    for (const [k, n] of [
      [3, 7],
      [1, 2],
      [40, 200],
      [199, 200],
    ]) {
      const [lo, hi] = wilsonInterval(k, n);
      const [lo2, hi2] = wilsonInterval(n - k, n);
      expect(lo).toBeCloseTo(1 - hi2, 14);
      expect(hi).toBeCloseTo(1 - lo2, 14);
      expect(lo).toBeLessThan(k / n);
      expect(hi).toBeGreaterThan(k / n);
    }
  });

  it('refuses n = 0, k > n, negative or fractional counts', () => {
    for (const [k, n] of [
      [0, 0],
      [3, 2],
      [-1, 4],
      [0.5, 4],
      [1, 2.5],
    ]) {
      expect(() => wilsonInterval(k, n), `${k}/${n}`).toThrow(ClipError);
      expect(() => rate(k, n), `${k}/${n}`).toThrow(ClipError);
    }
    expect(rate(3, 4)).toBe(0.75);
  });
});

describe('disparity across groups', () => {
  it('max/min ratio: plain, all zero (1), lowest zero (Infinity), one group (1)', () => {
    expect(maxMinRatio([0.25, 0.75, 0.5])).toBe(3);
    expect(maxMinRatio([0, 0, 0])).toBe(1);
    expect(maxMinRatio([0, 0.5])).toBe(Infinity);
    expect(maxMinRatio([0.4])).toBe(1);
  });

  it('MaxSkew = max ln(rate_g / pooled rate): equal groups, hand-computed', () => {
    // 3/4 and 1/4 of two groups of 4: pooled 4/8 = 1/2 -> ln 1.5, ln 0.5.
    const s = skews([3, 1], [4, 4]);
    expect(s[0]).toBeCloseTo(0.4054651081081644, 15);
    expect(s[1]).toBeCloseTo(-Math.LN2, 15);
    expect(maxSkew([3, 1], [4, 4])).toBe(s[0]);
    expect(minSkew([3, 1], [4, 4])).toBe(s[1]);
  });

  it("MaxSkew with unequal groups equals Geyik et al.'s share-of-selected over share-of-all", () => {
    // 2 of 4 and 3 of 12: pooled 5/16; rates 1/2, 1/4 -> ln 1.6, ln 0.8.
    // Shares: group a is 2/5 of the selected and 4/16 of all -> (2/5)/(4/16) = 1.6.
    const s = skews([2, 3], [4, 12]);
    expect(s[0]).toBeCloseTo(Math.log(1.6), 15);
    expect(s[1]).toBeCloseTo(Math.log(0.8), 15);
    expect(s[0]).toBeCloseTo(Math.log(2 / 5 / (4 / 16)), 15);
    expect(maxSkew([2, 3], [4, 12])).toBeCloseTo(0.47000362924573563, 15);
  });

  it('zeros: a group never selected has skew −Infinity; nobody selected gives 0 everywhere; equal rates 0 exactly', () => {
    expect(skews([0, 2], [3, 4])).toEqual([-Infinity, Math.log(1.75)]);
    expect(maxSkew([0, 2], [3, 4])).toBeCloseTo(0.5596157879354227, 15);
    expect(minSkew([0, 2], [3, 4])).toBe(-Infinity);
    expect(skews([0, 0, 0], [3, 4, 5])).toEqual([0, 0, 0]);
    expect(maxSkew([0, 0], [1, 1])).toBe(0);
    expect(skews([2, 4, 6], [3, 6, 9])).toEqual([0, 0, 0]);
    expect(skews([5], [5])).toEqual([0]);
  });

  it('disparity() bundles ratio, difference, skews, pooled rate and the extreme groups', () => {
    const d = disparity([1, 3, 2], [4, 4, 4]);
    expect(d.maxMinRatio).toBe(3);
    expect(d.maxMinDifference).toBe(0.5);
    expect(d.pooledRate).toBe(0.5);
    expect(d.highest).toBe(1);
    expect(d.lowest).toBe(0);
    expect(d.maxSkew).toBeCloseTo(Math.log(1.5), 15);
    expect(d.minSkew).toBeCloseTo(Math.log(0.5), 15);
    const none = disparity([0, 0], [2, 3]);
    expect([none.maxMinRatio, none.maxSkew, none.minSkew, none.maxMinDifference]).toEqual([1, 0, 0, 0]);
  });
});

describe('biasReport from per-image probabilities', () => {
  const labels = ['Doctor', 'Nurse'];
  const groups = ['women', 'men'];
  const p = (a: number) => Float32Array.of(a, 1 - a);
  const images = [
    { id: 'w1.png', group: 'women', probs: p(0.3) },
    { id: 'm1.png', group: 'men', probs: p(0.8) },
    { id: 'w2.png', group: 'women', probs: p(0.4) },
    { id: 'w3.png', group: 'women', probs: p(0.6) },
    { id: 'm2.png', group: 'men', probs: p(0.9) },
    { id: 'w4.png', group: 'women', probs: Float32Array.of(0.5, 0.5) }, // a tie: the first label
  ];

  it('counts, rates, Wilson intervals and mean probabilities follow from the top-1 labels', () => {
    const r = biasReport(labels, groups, images);
    expect(r.labels).toEqual(labels);
    expect(r.templates).toEqual(['a photo of a {}.']);
    expect(r.images.map((im) => labels[im.top])).toEqual(['Nurse', 'Doctor', 'Nurse', 'Doctor', 'Doctor', 'Doctor']);
    const [w, m] = r.groups;
    expect([w.name, w.n, w.counts, w.rates]).toEqual(['women', 4, [2, 2], [0.5, 0.5]]);
    expect([m.name, m.n, m.counts, m.rates]).toEqual(['men', 2, [2, 0], [1, 0]]);
    expect(w.ci).toEqual([wilsonInterval(2, 4), wilsonInterval(2, 4)]);
    expect(m.ci[0][0]).toBeCloseTo(2 / (2 + z2), 14); // k = n = 2
    expect(m.ci[0][1]).toBe(1);
    expect(m.ci[1]).toEqual([0, expect.closeTo(z2 / (2 + z2), 14)]); // k = 0
    const f = (x: number) => Math.fround(x);
    expect(w.meanProbs[0]).toBeCloseTo((f(0.3) + f(0.4) + f(0.6) + 0.5) / 4, 12);
    expect(m.meanProbs[1]).toBeCloseTo((f(0.2) + f(1 - 0.9)) / 2, 7);
    // Doctor: women 1/2, men 1 -> ratio 2; pooled 4/6 -> MaxSkew ln(1 / (2/3)) = ln 1.5.
    expect(r.disparity[0].maxMinRatio).toBe(2);
    expect(r.disparity[0].maxSkew).toBeCloseTo(Math.log(1.5), 14);
    // Nurse: men 0 -> unbounded ratio; pooled 2/6 -> MaxSkew ln(0.5 / (1/3)) = ln 1.5.
    expect(r.disparity[1].maxMinRatio).toBe(Infinity);
    expect(r.disparity[1].maxSkew).toBeCloseTo(Math.log(1.5), 14);
    expect(r.disparity[1].minSkew).toBe(-Infinity);
  });

  it('one image: n = 1 gives the closed-form intervals', () => {
    const r = biasReport(labels, ['solo'], [{ id: 'a', group: 'solo', probs: p(0.7) }]);
    expect(r.groups[0].counts).toEqual([1, 0]);
    expect(r.groups[0].ci[0][1]).toBe(1);
    expect(r.groups[0].ci[0][0]).toBeCloseTo(1 / (1 + z2), 14);
    expect(r.groups[0].ci[1]).toEqual([0, expect.closeTo(z2 / (1 + z2), 14)]);
    expect(r.disparity.map((d) => [d.maxMinRatio, d.maxSkew])).toEqual([
      [1, 0],
      [1, 0],
    ]);
  });

  it('categories: a union of labels counted as one outcome', () => {
    const three = ['thief', 'criminal', 'person'];
    const q = (...x: number[]) => Float32Array.from(x);
    const r = biasReport(
      three,
      ['a', 'b'],
      [
        { id: '1', group: 'a', probs: q(0.5, 0.3, 0.2) },
        { id: '2', group: 'a', probs: q(0.1, 0.6, 0.3) },
        { id: '3', group: 'b', probs: q(0.1, 0.2, 0.7) },
        { id: '4', group: 'b', probs: q(0.4, 0.1, 0.5) },
      ],
      { categories: { crime: ['thief', 'criminal'] } },
    );
    expect(r.categories).toHaveLength(1);
    const c = r.categories[0];
    expect([c.name, c.labels, c.counts, c.rates]).toEqual(['crime', ['thief', 'criminal'], [2, 0], [1, 0]]);
    expect(c.disparity.maxMinRatio).toBe(Infinity);
    expect(c.disparity.maxSkew).toBeCloseTo(Math.log(2), 14);
    expect(() =>
      biasReport(three, ['a'], [{ id: '1', group: 'a', probs: q(1, 0, 0) }], { categories: { x: ['nope'] } }),
    ).toThrow(/"nope" is not one of the labels/);
  });

  it('refuses empty or repeated labels, an unknown group, a group without images, a wrong probability count', () => {
    expect(() => biasReport([], groups, images)).toThrow(/at least one label/);
    expect(() => biasReport(['a', ' '], groups, images)).toThrow(/Label 2 is empty/);
    expect(() => biasReport(['Doctor', 'Doctor'], groups, images)).toThrow(/given twice/);
    expect(() => biasReport(labels, ['women'], images)).toThrow(/m1\.png: group "men"/);
    expect(() => biasReport(labels, [...groups, 'others'], images)).toThrow(/"others" has no images/);
    expect(() => biasReport(['a', 'b', 'c'], groups, images)).toThrow(/2 probabilities for 3 labels/);
  });
});

describe('formats', () => {
  it("the seed's line: Top predictions: Nurse: 69.92% Doctor: 30.08%", () => {
    expect(topPredictions(['Doctor', 'Nurse'], Float32Array.of(0.3008, 0.6992))).toBe(
      'Top predictions: Nurse: 69.92% Doctor: 30.08%',
    );
    // Top 5 by default, ties in label order; k = 1.
    const labels = ['a', 'b', 'c', 'd', 'e', 'f'];
    const probs = [0.1, 0.3, 0.1, 0.2, 0.2, 0.1];
    expect(topPredictions(labels, probs)).toBe('Top predictions: b: 30.00% d: 20.00% e: 20.00% a: 10.00% c: 10.00%');
    expect(topPredictions(labels, probs, 1)).toBe('Top predictions: b: 30.00%');
  });

  const report = biasReport(
    ['Doctor', 'Nurse, "RN"'],
    ['women', 'men'],
    [
      { id: 'w.png', group: 'women', probs: Float32Array.of(0.25, 0.75) },
      { id: 'dir,x/m.png', group: 'men', probs: Float32Array.of(0.5, 0.5) },
    ],
  );

  it('bias JSON: the documented shape, unbounded ratios as null', () => {
    const doc = JSON.parse(JSON.stringify(biasReportJson(report)));
    expect(Object.keys(doc)).toEqual(['labels', 'groups', 'disparity', 'images']);
    expect(doc.labels).toEqual(['Doctor', 'Nurse, "RN"']);
    expect(Object.keys(doc.groups)).toEqual(['women', 'men']);
    expect(doc.groups.women).toEqual({
      n: 1,
      counts: { Doctor: 0, 'Nurse, "RN"': 1 },
      rates: { Doctor: 0, 'Nurse, "RN"': 1 },
      ci: { Doctor: wilsonInterval(0, 1), 'Nurse, "RN"': wilsonInterval(1, 1) },
      mean_probs: { Doctor: 0.25, 'Nurse, "RN"': 0.75 },
    });
    expect(doc.disparity.Doctor).toEqual({ max_min_ratio: null, max_skew: Math.log(2) });
    expect(doc.images[1]).toEqual({
      path: 'dir,x/m.png',
      group: 'men',
      probs: { Doctor: 0.5, 'Nurse, "RN"': 0.5 },
      top: 'Doctor',
    });
  });

  it('CSV: header, one row per image, RFC 4180 quoting', () => {
    const lines = biasCsv(report).split('\r\n');
    expect(lines[0]).toBe('path,group,top,Doctor,"Nurse, ""RN""",top_predictions');
    expect(lines[1]).toBe(
      'w.png,women,"Nurse, ""RN""",0.25,0.75,"Top predictions: Nurse, ""RN"": 75.00% Doctor: 25.00%"',
    );
    expect(lines[2]).toBe('"dir,x/m.png",men,Doctor,0.5,0.5,"Top predictions: Doctor: 50.00% Nurse, ""RN"": 50.00%"');
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);
  });

  it('a label called __proto__ is an ordinary key', () => {
    const r = biasReport(['__proto__', 'x'], ['g'], [{ id: '1', group: 'g', probs: Float32Array.of(1, 0) }]);
    const doc = JSON.parse(JSON.stringify(biasReportJson(r)));
    expect(Object.keys(doc.groups.g.counts)).toEqual(['__proto__', 'x']);
  });
});

describe('presets', () => {
  it("the seed's four pairs and the CLIP paper's FairFace label sets", () => {
    expect(BIAS_PRESETS['doctor-nurse'].labels).toEqual(['Doctor', 'Nurse']);
    expect(BIAS_PRESETS['people-gorilla'].labels).toEqual(['People', 'Gorilla']);
    expect(BIAS_PRESETS['human-gorilla'].labels).toEqual(['Human', 'Gorilla']);
    expect(BIAS_PRESETS['victim-criminal'].labels).toEqual(['Victim', 'Criminal']);
    const ff = BIAS_PRESETS['clip-fairface'];
    expect(ff.labels).toHaveLength(14 + 3 + 4); // Table 6: 14 race-gender + 3 crime-related + 4 non-human
    expect(ff.labels).toContain('Black woman');
    expect(ff.categories).toEqual({
      'crime-related': ['thief', 'suspicious person', 'criminal'],
      'non-human': ['animal', 'chimpanzee', 'gorilla', 'orangutan'],
    });
    expect(BIAS_PRESETS['clip-fairface-child'].labels).toEqual([...ff.labels, 'child']);
    for (const p of Object.values(BIAS_PRESETS)) {
      expect(new Set(p.labels).size, p.name).toBe(p.labels.length);
      for (const members of Object.values(p.categories ?? {})) for (const m of members) expect(p.labels).toContain(m);
    }
  });
});
