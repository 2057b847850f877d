/**
 * Population expectation of step rate at a speed (science card C2).
 */

/** van Oeveren et al. 2019 (J Sports Sci): step rate ≈ 150.0 + 6.01·v, valid for 1.64–4.68 m/s. */
export const VAN_OEVEREN_2019 = Object.freeze({
  interceptSpm: 150.0,
  slopeSpmPerMps: 6.01,
  minSpeedMps: 1.64,
  maxSpeedMps: 4.68,
});

/** Options of {@link expectedCadenceSpm}. */
export interface ExpectedCadenceOptions {
  /** Runner's height, m. Used only with a non-zero `heightCoefSpmPerCm`. */
  readonly heightM?: number;
  /** spm subtracted per cm above 175 cm (added below). Default 0: evidence conflicts (card C2). */
  readonly heightCoefSpmPerCm?: number;
}

/**
 * Expected step rate (steps/min) at `speedMps`: 150.0 + 6.01·v with v clamped
 * to 1.64–4.68 m/s, minus `heightCoefSpmPerCm · (height_cm − 175)` when both are given.
 * @example expectedCadenceSpm(3) // 168.03
 * @example expectedCadenceSpm(6) // 178.1268 (v clamped to 4.68)
 */
export function expectedCadenceSpm(speedMps: number, options: ExpectedCadenceOptions = {}): number {
  const v = Math.max(VAN_OEVEREN_2019.minSpeedMps, Math.min(VAN_OEVEREN_2019.maxSpeedMps, speedMps));
  let spm = VAN_OEVEREN_2019.interceptSpm + VAN_OEVEREN_2019.slopeSpmPerMps * v;
  const coef = options.heightCoefSpmPerCm ?? 0;
  if (coef !== 0 && options.heightM !== undefined) spm -= coef * (options.heightM * 100 - 175);
  return spm;
}

/**
 * True when `speedMps` lies outside the range the regression was fitted on.
 * @example isExtrapolatedSpeed(5.0) // true (above 4.68 m/s)
 */
export function isExtrapolatedSpeed(speedMps: number): boolean {
  return speedMps < VAN_OEVEREN_2019.minSpeedMps || speedMps > VAN_OEVEREN_2019.maxSpeedMps;
}

/**
 * Expected step length (m) at `speedMps`: v · 60 / expected step rate.
 * @example expectedStepLengthM(3) // ≈ 1.0712
 */
export function expectedStepLengthM(speedMps: number, options: ExpectedCadenceOptions = {}): number {
  return (speedMps * 60) / expectedCadenceSpm(speedMps, options);
}
