import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStridewiseError } from '../../src/errors.js';
import { compileCustomRules, CUSTOM_RULE_FIELDS, evaluateRules, type CustomRuleDefinition } from '../../src/rules/index.js';
import { loadRestrictedMath } from '../../src/rules/custom/compile.js';
import { fieldRoots } from '../../src/rules/custom/fields.js';
import { repoRoot } from '../helpers/corpus.js';
import { makeHistory, makeSession, makeSummary } from './helpers.js';

const longSlow: CustomRuleDefinition = {
  id: 'long-slow',
  when: 'distanceKm > 15 and cadence.avgSpm < 165',
  severity: 'caution',
  message: 'Long run ({distanceKm} km) at {cadence.avgSpm} spm.',
  observedField: 'cadence.avgSpm',
};

async function compileError(def: Partial<CustomRuleDefinition>): Promise<{ code: string; message: string }> {
  try {
    await compileCustomRules([{ id: 'x', severity: 'info', message: 'm', when: 'distanceKm > 1', ...def } as CustomRuleDefinition]);
  } catch (error) {
    if (isStridewiseError(error)) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('compiled without error');
}

describe('custom rules: valid rules', () => {
  it('fires exactly where the condition holds, fills the message and the observed value', async () => {
    const customRules = await compileCustomRules([longSlow]);
    const summaries = [
      makeSummary({ id: 'long-low', distanceM: 16000, cadence: { avgSpm: 160, flatAvgSpm: 172 } }),
      makeSummary({ id: 'long-ok', distanceM: 16000, cadence: { avgSpm: 170, flatAvgSpm: 172 } }),
      makeSummary({ id: 'short-low', distanceM: 15000, cadence: { avgSpm: 160, flatAvgSpm: 172 } }),
    ];
    const f = evaluateRules(makeHistory(), summaries, { customRules });
    expect(f.map((x) => [x.rule, x.activityId])).toEqual([['custom:long-slow', 'long-low']]);
    expect(f[0]!.message).toBe('Long run (16 km) at 160 spm.');
    expect(f[0]!.observed).toBe(160);
    expect(f[0]!.unit).toBe('spm');
    expect(f[0]!.severity).toBe('caution');
    expect(f[0]!.evidence).toEqual({ grade: 'D', reference: 'user-defined rule' });
    expect(f[0]!.details).toEqual({ 'cadence.avgSpm': 160, distanceKm: 16 });
  });

  it('compares text fields, uses session fields, ?: and allowed functions', async () => {
    const customRules = await compileCustomRules([
      { id: 'trail', when: 'subSport == "trail" and sport != "walking"', severity: 'info', message: 'trail' },
      { id: 'spiky', when: 'session.spikeRatio >= 1.5 and abs(cadence.driftSpm) <= max(1, 2)', severity: 'warning', message: 'spiky {session.spikeRatio}' },
      { id: 'cond', when: '(isTreadmill ? 1 : 2) == 2 and round(paceMinPerKm, 1) == 5.6', severity: 'info', message: 'c' },
    ]);
    const s = makeSummary({ id: 'r', subSport: 'trail' });
    const history = makeHistory({ sessions: [makeSession({ activityIds: ['r'], spikeRatio: 1.5, refLongestM: null })] });
    const f = evaluateRules(history, [s], { customRules });
    // pace at 3.0 m/s: 1000/60/3 = 5.555… min/km → round(…, 1) = 5.6
    expect(f.map((x) => x.rule)).toEqual(['custom:cond', 'custom:spiky', 'custom:trail']);
    expect(f.find((x) => x.rule === 'custom:spiky')!.message).toBe('spiky 1.5');
  });

  it('does not fire on a run missing a field it reads (null is not zero)', async () => {
    const customRules = await compileCustomRules([{ id: 'no-hr', when: 'avgHeartRateBpm < 200', severity: 'info', message: 'hr' }]);
    expect(evaluateRules(makeHistory(), [makeSummary({ avgHeartRateBpm: null })], { customRules })).toEqual([]);
    expect(evaluateRules(makeHistory(), [makeSummary({ avgHeartRateBpm: 150 })], { customRules })).toHaveLength(1);
  });

  it('looks at running only by default; appliesTo all includes walks', async () => {
    const walk = makeSummary({ id: 'w', sport: 'walking', activityClass: 'walking' });
    const running = await compileCustomRules([{ id: 'any', when: 'distanceKm > 1', severity: 'info', message: 'x' }]);
    const all = await compileCustomRules([{ id: 'any', when: 'distanceKm > 1', severity: 'info', message: 'x', appliesTo: 'all' }]);
    expect(evaluateRules(makeHistory(), [walk], { customRules: running })).toEqual([]);
    expect(evaluateRules(makeHistory(), [walk], { customRules: all })).toHaveLength(1);
  });

  it('can be switched off by id', async () => {
    const customRules = await compileCustomRules([longSlow]);
    const s = makeSummary({ distanceM: 16000, cadence: { avgSpm: 160, flatAvgSpm: 172 } });
    expect(evaluateRules(makeHistory(), [s], { customRules, disable: ['custom:long-slow'] })).toEqual([]);
  });

  it('an empty list compiles without loading anything and changes nothing', async () => {
    const customRules = await compileCustomRules([]);
    expect(customRules.rules).toEqual([]);
    expect(evaluateRules(makeHistory(), [makeSummary()], { customRules })).toEqual([]);
  });
});

describe('custom rules: configuration errors are INVALID_RULE at compile time, naming the problem', () => {
  it('syntax error with its position', async () => {
    const e = await compileError({ when: 'distanceKm > 15 and' });
    expect(e.code).toBe('INVALID_RULE');
    expect(e.message).toContain("custom rule 'x'");
    expect(e.message).toContain('syntax error at position 20');
  });

  it('unknown field, with a suggestion', async () => {
    const e = await compileError({ when: 'cadence.avgSpmm < 160' });
    expect(e.code).toBe('INVALID_RULE');
    expect(e.message).toContain("unknown field 'cadence.avgSpmm'");
    expect(e.message).toContain('cadence.avgSpm');
  });

  it.each(['import({}, {})', 'evaluate("1 + 1") > 1', 'createUnit("furlong") == 1', 'parse("1") == 1', 'simplify("x") == 1', 'compile("1") == 1', 'derivative("x", "x") == 1', 'resolve("x") == 1', 'reviver("a", 1) == 1'])(
    'forbidden function: %s',
    async (when) => {
      const e = await compileError({ when });
      expect(e.code).toBe('INVALID_RULE');
      expect(e.message).toMatch(/the function '\w+' is forbidden/);
    },
  );

  it.each([
    ['assignment', 'distanceKm = 3', 'assignments'],
    ['function definition', 'f(x) = x', 'function definitions'],
    ['matrix', '[1, 2] == 1', 'matrices'],
    ['object', '{a: 1} == 1', 'objects'],
    ['units (implicit multiplication)', 'distanceKm > 5 km', 'implicit multiplication'],
    ['bracket access', 'cadence["avgSpm"] > 1', 'bracket indexing'],
    ['prototype access', 'distanceKm.constructor > 1', "unknown field 'distanceKm.constructor'"],
    ['bare prototype name', 'constructor == 1', "unknown field 'constructor'"],
    ['a group, not a value', 'cadence > 1', "'cadence' is a group"],
    ['unknown function', 'sin(distanceKm) > 0', "disallowed function 'sin'"],
    ['not a condition', 'distanceKm + 1', 'must be a condition'],
    ['type mismatch', 'sport > 3', "'>' needs number operands"],
    ['several statements', 'distanceKm > 1; distanceKm > 2', 'only one expression'],
    ['chained comparison', '1 < distanceKm < 3', 'chained comparisons'],
    ['constants outside the catalogue', 'pi > 3', "unknown field 'pi'"],
  ])('%s', async (_name, when, text) => {
    const e = await compileError({ when });
    expect(e.code).toBe('INVALID_RULE');
    expect(e.message).toContain(text);
  });

  it('bad definitions: id, duplicate id, severity, unknown placeholder, observedField, unknown key', async () => {
    expect((await compileError({ id: 'Bad Id' })).message).toContain('id must be');
    expect((await compileError({ severity: 'danger' as never })).message).toContain('severity');
    expect((await compileError({ message: 'at {cadence.nope}' })).message).toContain('{cadence.nope}');
    expect((await compileError({ observedField: 'sport' })).message).toContain('observedField');
    expect((await compileError({ extra: 1 } as never)).message).toContain("unknown key 'extra'");
    await expect(compileCustomRules([longSlow, longSlow])).rejects.toMatchObject({ code: 'INVALID_RULE', message: expect.stringContaining('used twice') });
  });
});

describe('custom rules: the scope reaches nothing but the catalogue', () => {
  it('no top-level field name shadows an allowed function', () => {
    for (const fn of ['abs', 'min', 'max', 'round', 'floor', 'ceil', 'sqrt', 'exp', 'log', 'log10', 'equalText', 'not']) {
      expect(fieldRoots().has(fn)).toBe(false);
    }
  });

  it('every catalogue field compiles and reads a value of its declared type from a summary', async () => {
    const defs = CUSTOM_RULE_FIELDS.map((f, i): CustomRuleDefinition => ({
      id: `f${i}`,
      when: f.type === 'number' ? `${f.name} == ${f.name}` : f.type === 'string' ? `${f.name} == ${f.name}` : `${f.name} or not ${f.name}`,
      severity: 'info',
      message: `{${f.name}}`,
    }));
    const customRules = await compileCustomRules(defs);
    const s = makeSummary({ gear: 'shoe', dynamics: { stanceTimeS: 0.25, verticalOscillationM: 0.08, verticalRatioPct: 7, stanceTimeBalancePct: 50, imbalancedTimeS: 0 }, stepLength: { relativeToHeight: 0.6 }, cadence: { driftSpm: 1 } });
    const history = makeHistory({ sessions: [makeSession({ activityIds: ['run-1'], spikeRatio: 0.8 })] });
    const f = evaluateRules(history, [s], { customRules });
    // every field is present on this summary, so every rule fires once
    expect(f.filter((x) => x.rule.startsWith('custom:'))).toHaveLength(CUSTOM_RULE_FIELDS.length);
    expect(f.filter((x) => x.details['evaluationError'] === true)).toEqual([]);
  });

  it.each(['import({x: 1}, {override: true})', 'createUnit("furlong")', 'evaluate("1 + 1")', 'parse("1")', 'compile("1")', 'simplify("x + x")', 'derivative("x^2", "x")', 'resolve("x")', 'reviver("a", 1)'])(
    'defence in depth: even past the allow-list, the private instance refuses %s',
    async (expression) => {
      const { parse } = await loadRestrictedMath();
      expect(() => parse(expression).compile().evaluate()).toThrow(/is disabled/);
    },
  );

  it('the private instance is predictable: sqrt of a negative number is NaN, not a complex number', async () => {
    const customRules = await compileCustomRules([{ id: 'n', when: 'sqrt(distanceKm - 100) > 0 or distanceKm > 0', severity: 'info', message: 'n' }]);
    expect(evaluateRules(makeHistory(), [makeSummary()], { customRules })).toHaveLength(1);
  });

  it('mathjs is never imported statically by modules reachable from the entry points', () => {
    // Follow static relative imports (type-only ones are erased) from src/index.ts and src/node/index.ts.
    const seen = new Set<string>();
    const offenders: string[] = [];
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/^\s*(import|export)\s+(?!type\b)[^;]*?from\s+['"]([^'"]+)['"]/gm)) {
        const target = m[2]!;
        if (target === 'mathjs') offenders.push(file);
        if (target.startsWith('.')) visit(join(dirname(file), target.replace(/\.js$/, '.ts')));
      }
    };
    visit(join(repoRoot, 'src/index.ts'));
    visit(join(repoRoot, 'src/node/index.ts'));
    expect(seen.has(join(repoRoot, 'src/rules/custom/compile.ts'))).toBe(true);
    expect(seen.size).toBeGreaterThan(20);
    expect(offenders).toEqual([]);
    const compile = readFileSync(join(repoRoot, 'src/rules/custom/compile.ts'), 'utf8');
    expect(compile).toContain("await import('mathjs')");
  });
});
