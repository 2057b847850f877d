import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_RULE_IDS, CUSTOM_RULE_FIELDS, DEFAULT_RULE_OPTIONS } from '../../src/rules/index.js';
import { repoRoot } from '../helpers/corpus.js';

const doc = readFileSync(join(repoRoot, 'docs/rules.md'), 'utf8');

describe('docs/rules.md stays in step with the code', () => {
  it('documents every built-in rule id', () => {
    for (const id of BUILT_IN_RULE_IDS) expect(doc, id).toContain(`\`${id}\``);
  });

  it('documents every option of every rule', () => {
    for (const id of BUILT_IN_RULE_IDS) {
      for (const key of Object.keys(DEFAULT_RULE_OPTIONS[id])) {
        if (key === 'enabled') continue;
        expect(doc, `${id}.${key}`).toContain(key);
      }
    }
  });

  it('lists every custom-rule field', () => {
    for (const f of CUSTOM_RULE_FIELDS) expect(doc, f.name).toContain(f.name);
  });

  it('never presents 180 spm as a target and words risks as associations', () => {
    expect(doc).not.toMatch(/target[^.\n]*\b180\b/i);
    expect(doc).not.toMatch(/(?<!")\bcauses\b/);
  });
});
