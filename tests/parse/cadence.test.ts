import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isFootSport, normalizeCadence } from '../../src/parse/cadence.js';

const run = { sport: 'running', subSport: 'generic', format: 'fit' } as const;
const filled = (n: number, v: number): Float32Array => new Float32Array(n).fill(v);

describe('normalizeCadence (card C0)', () => {
  it('doubles FIT strides: 85 strides/min at 3 m/s is 170 steps/min', () => {
    // Card C0 example: 85 at 3 m/s → 1.06 m step as 170 spm, 2.1 m as 85 spm → strides.
    const { cadenceSpm, detection } = normalizeCadence(filled(100, 85), filled(100, 3), run);
    expect(detection).toMatchObject({ detected: 'strides', factor: 2, method: 'band', medianRaw: 85 });
    expect(detection.confidence).toBeGreaterThanOrEqual(0.8);
    expect(cadenceSpm[0]).toBe(170);
  });

  it('keeps values already in steps/min (Strava GPX writes ~172)', () => {
    const { cadenceSpm, detection } = normalizeCadence(filled(100, 172), filled(100, 3.2), { ...run, format: 'gpx' });
    expect(detection).toMatchObject({ detected: 'steps', factor: 1 });
    expect(cadenceSpm[50]).toBe(172);
  });

  it('adds the fractional part before doubling (GoldenCheetah #2060: 79 + 0.5 → 159 spm)', () => {
    const { cadenceSpm } = normalizeCadence(filled(50, 79.5), filled(50, 2.8), run);
    expect(cadenceSpm[0]).toBe(159);
  });

  it('does not double a slow hike at 88 steps/min', () => {
    const { cadenceSpm, detection } = normalizeCadence(filled(100, 88), filled(100, 1.0), {
      sport: 'hiking',
      subSport: 'generic',
      format: 'gpx',
    });
    expect(detection.detected).toBe('steps');
    expect(cadenceSpm[0]).toBe(88);
  });

  it('does not double a walk labelled as running when speed says walking', () => {
    // 1.1 m/s with 105 raw: as steps the step is 0.63 m (a normal walking step);
    // as strides it would be 210 spm with a 0.31 m step: implausible.
    const { detection } = normalizeCadence(filled(100, 105), filled(100, 1.1), { ...run, format: 'tcx' });
    expect(detection.detected).toBe('steps');
  });

  it('decides the ambiguous 115–130 zone by implied step length', () => {
    // raw 122 at 4.0 m/s: as steps L = 4·60/122 = 1.97 m (implausible, > 1.8);
    // as strides L = 4·60/244 = 0.98 m (plausible) → strides.
    const { detection } = normalizeCadence(filled(100, 122), filled(100, 4.0), { ...run, format: 'gpx' });
    expect(detection).toMatchObject({ detected: 'strides', method: 'step-length', factor: 2 });
  });

  it('never doubles cycling, swimming or rowing cadence', () => {
    for (const sport of ['cycling', 'swimming', 'rowing']) {
      const { cadenceSpm, detection } = normalizeCadence(filled(10, 85), filled(10, 8), { ...run, sport });
      expect(detection).toMatchObject({ detected: 'none', factor: 1, method: 'not-a-foot-sport' });
      expect(cadenceSpm[0]).toBe(85);
    }
    expect(isFootSport('fitness_equipment', 'elliptical')).toBe(false);
    expect(isFootSport('running', 'treadmill')).toBe(true);
  });

  it('never doubles a cadence of unknown sport recorded at cycling speed (85 /min at 7 m/s is pedalling)', () => {
    const generic = { sport: 'generic', subSport: 'generic', format: 'gpx' } as const;
    const ride = normalizeCadence(filled(100, 85), filled(100, 7), generic);
    expect(ride.detection).toMatchObject({ detected: 'none', factor: 1, method: 'not-a-foot-sport' });
    expect(ride.cadenceSpm[0]).toBe(85);
    // the same cadence at 3 m/s is a runner's strides
    expect(normalizeCadence(filled(100, 85), filled(100, 3), generic).detection.factor).toBe(2);
  });

  it('treats zero as missing and reports no data when nothing is left', () => {
    const { cadenceSpm, detection } = normalizeCadence(filled(10, 0), filled(10, 3), run);
    expect(detection).toMatchObject({ detected: 'none', method: 'no-data' });
    expect(Number.isNaN(cadenceSpm[0]!)).toBe(true);
  });

  it('honours an explicit override', () => {
    const { cadenceSpm, detection } = normalizeCadence(filled(10, 85), filled(10, 3), { ...run, override: 'steps' });
    expect(detection).toMatchObject({ detected: 'steps', method: 'override', confidence: 1 });
    expect(cadenceSpm[0]).toBe(85);
  });

  it('does not mutate its input', () => {
    const raw = filled(10, 85);
    normalizeCadence(raw, filled(10, 3), run);
    expect(raw[0]).toBe(85);
  });

  it('property: for running at 2.2–5 m/s, stride and step encodings of the same run give the same steps/min', () => {
    fc.assert(
      fc.property(fc.integer({ min: 150, max: 200 }), fc.double({ min: 2.2, max: 5, noNaN: true }), (spm, v) => {
        const asStrides = normalizeCadence(filled(60, spm / 2), filled(60, v), run);
        const asSteps = normalizeCadence(filled(60, spm), filled(60, v), { ...run, format: 'gpx' });
        expect(asStrides.cadenceSpm[0]).toBeCloseTo(spm, 4);
        expect(asSteps.cadenceSpm[0]).toBeCloseTo(spm, 4);
      }),
    );
  });
});
