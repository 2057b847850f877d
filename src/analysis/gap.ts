/**
 * Grade-adjusted speed (science card G1). Display only: effort models call
 * downhill "easier" exactly where the knee works hardest, so no rule uses it.
 */
import { MAX_ABS_GRADE } from './elevation.js';

/**
 * Minetti et al. 2002 energy cost of running on grade i (fraction), J·kg⁻¹·m⁻¹:
 * Cr(i) = 155.4i⁵ − 30.4i⁴ − 43.3i³ + 46.3i² + 19.5i + 3.6, i clamped to ±0.45.
 * @example minettiCostJPerKgM(0) // 3.6
 */
export function minettiCostJPerKgM(grade: number): number {
  const i = Math.max(-MAX_ABS_GRADE, Math.min(MAX_ABS_GRADE, grade));
  return ((((155.4 * i - 30.4) * i - 43.3) * i + 46.3) * i + 19.5) * i + 3.6;
}

/**
 * Speed factor of grade-adjusted pace: Cr(i) / Cr(0).
 * @example gradeSpeedFactor(-0.1) // ≈ 0.60 (Minetti: −10 % costs 60 % of level running)
 */
export function gradeSpeedFactor(grade: number): number {
  return minettiCostJPerKgM(grade) / 3.6;
}
