import { describe, expect, it } from 'vitest';
import { isStridewiseError } from '../../src/errors.js';
import { BUILT_IN_RULE_IDS, DEFAULT_RULE_OPTIONS, evaluateRules, resolveRuleOptions, validateRuleOptions } from '../../src/rules/index.js';
import { makeHistory, makeSummary } from './helpers.js';

function optionError(options: unknown): { code: string; message: string } {
  try {
    resolveRuleOptions(options);
  } catch (error) {
    if (isStridewiseError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('accepted');
}

describe('resolveRuleOptions', () => {
  it('defaults are the documented ones (user defaults 170 spm and 10 %; card values elsewhere)', () => {
    const o = resolveRuleOptions();
    expect(o).toEqual(DEFAULT_RULE_OPTIONS);
    expect(o['low-cadence'].mode).toBe('absolute');
    expect(o['low-cadence'].minCadenceSpm).toBe(170);
    expect(o['weekly-increase'].minIncreaseRatio).toBe(0.1);
    expect(o['weekly-increase'].cautionIncreaseRatio).toBe(0.3);
    expect(o['session-spike'].thresholds).toEqual([1.1, 1.3, 2.0]);
    expect(o.overstriding.minRatio).toBe(1.1);
    expect(o['shoe-mileage'].warnDistanceM).toBe(640000);
    expect(o['descent-spike'].enabled).toBe(false);
    expect(o['cadence-target'].enabled).toBe(false);
  });

  it('merges partial sections, accepts false, and turns cadence-target on in personal mode', () => {
    const o = resolveRuleOptions({ 'low-cadence': { mode: 'personal' }, acwr: false, 'weekly-increase': { minIncreaseRatio: 0.2 } });
    expect(o['cadence-target'].enabled).toBe(true);
    expect(o.acwr.enabled).toBe(false);
    expect(o['weekly-increase']).toEqual({ ...DEFAULT_RULE_OPTIONS['weekly-increase'], minIncreaseRatio: 0.2 });
    expect(resolveRuleOptions({ 'low-cadence': { mode: 'personal' }, 'cadence-target': false })['cadence-target'].enabled).toBe(false);
  });

  it('disable switches rules off by id', () => {
    const o = resolveRuleOptions({ disable: ['acwr', 'shoe-mileage'] });
    expect(o.acwr.enabled).toBe(false);
    expect(o['shoe-mileage'].enabled).toBe(false);
    expect(o.disable).toEqual(['acwr', 'shoe-mileage']);
  });

  it('accepts JSON round-tripped options (as from a configuration file)', () => {
    const json = JSON.parse(JSON.stringify({ 'session-spike': { thresholds: [1.15, 1.4, 2.5] }, disable: ['acwr'] })) as unknown;
    expect(resolveRuleOptions(json)['session-spike'].thresholds).toEqual([1.15, 1.4, 2.5]);
  });

  it.each([
    ['unknown rule (typo)', { 'low-cadense': {} }, "'low-cadense' is not a rule"],
    ['unknown option', { 'low-cadence': { minCadence: 160 } }, "options['low-cadence'].minCadence is not an option"],
    ['wrong type', { 'low-cadence': { minCadenceSpm: '170' } }, 'must be a finite number, got "170"'],
    ['NaN', { overstriding: { minRatio: Number.NaN } }, 'must be a finite number'],
    ['out of range', { overstriding: { minRatio: 0.9 } }, 'must be between 1 and 2, got 0.9'],
    ['bad mode', { 'low-cadence': { mode: 'fast' } }, 'must be one of absolute, speed-adjusted, personal'],
    ['enabled not boolean', { acwr: { enabled: 'no' } }, 'must be true or false'],
    ['thresholds out of order', { 'session-spike': { thresholds: [1.3, 1.1, 2] } }, 'strictly increasing'],
    ['thresholds wrong length', { 'session-spike': { thresholds: [1.1, 1.3] } }, 'three ratios'],
    ['caution below info tier', { 'weekly-increase': { minIncreaseRatio: 0.4 } }, 'must not be below minIncreaseRatio'],
    ['disable unknown id', { disable: ['low-cadense'] }, "unknown rule 'low-cadense'"],
    ['disable not a list', { disable: 'acwr' }, 'must be a list of rule ids'],
    ['section not an object', { acwr: 3 }, "options['acwr'] must be an object, true or false"],
    ['not an object', [1], 'rule options must be an object'],
    ['raw custom rule definitions', { customRules: [{ id: 'x', when: 'distanceKm > 1' }] }, 'compileCustomRules'],
  ])('%s → INVALID_OPTION naming it', (_name, options, text) => {
    const e = optionError(options);
    expect(e.code).toBe('INVALID_OPTION');
    expect(e.message).toContain(text);
  });

  it('evaluateRules validates options first (bad options throw even with no data); data never throws', () => {
    expect(() => evaluateRules(makeHistory(), [], { 'low-cadence': { minCadenceSpm: 5 } })).toThrow(/between 100 and 220/);
    expect(() => validateRuleOptions({ acwr: { minRatio: 1.2 } })).not.toThrow();
    expect(evaluateRules(makeHistory(), [makeSummary()], {})).toEqual([]);
  });

  it('every built-in rule has a section and can be switched off', () => {
    for (const id of BUILT_IN_RULE_IDS) {
      expect(resolveRuleOptions({ [id]: false })[id].enabled).toBe(false);
    }
  });
});
