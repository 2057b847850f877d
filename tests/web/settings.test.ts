/**
 * The page's settings mean what the command's flags mean: the rule options
 * built from them equal those `--min-cadence` and `--max-weekly-increase`
 * build (cli/rules-file.ts), units follow the browser's region, and saved
 * settings are read back defensively.
 */
import { describe, expect, it } from 'vitest';
import { loadRuleOptions } from '../../src/cli/rules-file.js';
import { defaultSettings, restoreSettings, setupOf, unitsForLocale } from '../../web/settings.js';

const base = defaultSettings('en-DE', 'Europe/Berlin');

describe('page settings', () => {
  it('default to the browser: km except where runners count in miles, the browser zone, rule defaults', () => {
    expect(unitsForLocale('de-DE')).toBe('km');
    expect(unitsForLocale('en-US')).toBe('mi');
    expect(unitsForLocale('en-GB')).toBe('mi');
    expect(unitsForLocale('en')).toBe('km');
    expect(unitsForLocale(undefined)).toBe('km');
    expect(base.timeZone).toBe('Europe/Berlin');
    const s = setupOf(base);
    expect(s.ok && s.setup.ruleOptions).toEqual({});
    // DEFAULT_MAX_WEEKLY_INCREASE_RATIO, as the command reports without the flag
    expect(s.ok && s.setup.reportSettings).toEqual({ timeZone: 'Europe/Berlin', heightM: null, minCadenceSpm: null, maxWeeklyIncreaseRatio: 0.1, since: null, until: null });
  });

  it('cadence floor and weekly increase build the same rule options as --min-cadence 166 --max-weekly-increase 40%', async () => {
    const s = setupOf({ ...base, minCadenceSpm: 166, maxWeeklyIncreasePct: 40, lowCadenceMode: 'personal' });
    const flags = await loadRuleOptions(null, { minCadenceSpm: 166, maxWeeklyIncreaseRatio: 0.4 });
    expect(s.ok && s.setup.ruleOptions).toEqual(flags);
    expect(s.ok && s.setup.reportSettings.minCadenceSpm).toBe(166);
    expect(s.ok && s.setup.reportSettings.maxWeeklyIncreaseRatio).toBe(0.4);
  });

  it('height in cm is --height in metres; heart rates go to the analysis; the files\' own clock is no --tz', () => {
    const s = setupOf({ ...base, heightCm: 178, restingHeartRateBpm: 50, maxHeartRateBpm: 190, timeZone: '', unknownSportAs: 'running' });
    expect(s.ok && s.setup.analysis).toEqual({ heightM: 1.78, restingHeartRateBpm: 50, maxHeartRateBpm: 190, genericSportAs: 'running' });
    expect(s.ok && s.setup.timeZone).toBe(null);
  });

  it('refuses what the command refuses, with a message', () => {
    const bad = [
      { ...base, minCadenceSpm: 20 },
      { ...base, heightCm: 20 },
      { ...base, maxHeartRateBpm: 190 },
      { ...base, timeZone: 'Mars/Olympus' },
      { ...base, overstridingMinRatio: Number.NaN },
    ];
    for (const settings of bad) {
      const s = setupOf(settings);
      expect(s.ok).toBe(false);
      expect(!s.ok && s.message.length).toBeGreaterThan(5);
    }
  });

  it('reads saved settings back, dropping values of the wrong type or unknown choices', () => {
    expect(restoreSettings(null, base)).toEqual(base);
    expect(restoreSettings('not json', base)).toEqual(base);
    const got = restoreSettings(JSON.stringify({ units: 'furlongs', heightCm: '178', lowCadenceMode: 'personal', shoeWarnKm: 500, unknownSportAs: 'swimming' }), base);
    expect(got).toEqual({ ...base, lowCadenceMode: 'personal', shoeWarnKm: 500 });
  });
});
