/**
 * Doctest: the `@example` blocks of the TSDoc in `src/**` as runnable code.
 *
 * {@link collectExamples} finds every TSDoc comment directly above an
 * `export function|const|class NAME` and takes its `@example` blocks (code
 * fences stripped). {@link compileExample} turns one block into an async
 * function:
 * - `import ... from 'stridewise'` / `'stridewise/node'` lines are dropped
 *   (every export is in scope); other imports are loaded through the scope's
 *   `__import` (code built with `new Function` has no module loader of its own);
 * - a line `EXPRESSION // EXPECTED` whose comment starts with a literal
 *   (number, string, `true`, `{ ... }`, `[ ... ]`, `NaN`, `null`) checks the
 *   value against it: numbers to the digits written (`168.03` is 168.025…168.035),
 *   objects by the keys written; `// ≈ N` the same, `// ≤ N` / `// ≥ N`
 *   bounds, `// throws CODE` the error code. Any other comment (`// e.g. 171`,
 *   prose) is not checked;
 * - names an example uses without defining them (`activity`, `report`, ...)
 *   come from the scope the test passes in.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { transformSync } from 'esbuild';

/** One `@example` block. */
export interface DocExample {
  /** Exported name the comment documents. */
  readonly name: string;
  /** File, relative to the repository root, and 1-based line of the `@example` tag. */
  readonly file: string;
  readonly line: number;
  readonly code: string;
}

function walk(dir: string, out: string[]): string[] {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (path.endsWith('.ts') && !path.endsWith('.d.ts')) out.push(path);
  }
  return out;
}

const DOC_THEN_EXPORT = /\/\*\*((?:(?!\*\/)[\s\S])*?)\*\/\s*export\s+(?:declare\s+)?(?:async\s+)?(?:function\*?|const|let|class|abstract\s+class)\s+([A-Za-z_$][\w$]*)/g;

/** Every `@example` of an exported declaration under `srcDir`, with where it is. */
export function collectExamples(srcDir: string, repoRoot: string): DocExample[] {
  const out: DocExample[] = [];
  for (const path of walk(srcDir, []).sort()) {
    const text = readFileSync(path, 'utf8');
    for (const m of text.matchAll(DOC_THEN_EXPORT)) {
      const body = m[1]!;
      const name = m[2]!;
      const lines = body.split('\n').map((l) => l.replace(/^\s*\* ?/, ''));
      const commentStartLine = text.slice(0, m.index).split('\n').length;
      for (let i = 0; i < lines.length; i++) {
        const tag = /^\s*@example\b ?(.*)$/.exec(lines[i]!);
        if (!tag) continue;
        const code: string[] = [];
        if (tag[1]!.trim() !== '') code.push(tag[1]!);
        let j = i + 1;
        for (; j < lines.length && !/^\s*@\w+/.test(lines[j]!); j++) code.push(lines[j]!);
        const cleaned = code.filter((l) => !/^\s*```/.test(l)).join('\n').trim();
        if (cleaned !== '') out.push({ name, file: relative(repoRoot, path), line: commentStartLine + i, code: cleaned });
        i = j - 1;
      }
    }
  }
  return out;
}

/** Index of a line comment `//` outside string literals, or -1. */
function commentStart(line: string): number {
  let quote = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
    } else if (c === "'" || c === '"' || c === '`') quote = c;
    else if (c === '/' && line[i + 1] === '/') return i;
  }
  return -1;
}

/** End index (exclusive) of a bracketed literal starting at 0, or -1. */
function bracketEnd(s: string): number {
  let depth = 0;
  let quote = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (quote !== '') {
      if (c === '\\') i++;
      else if (c === quote) quote = '';
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return -1;
}

/** What a trailing comment expects, as JavaScript source of an expectation object; undefined when it is prose. */
export function expectationOf(comment: string): string | undefined {
  const c = comment.trim();
  const t = /^throws\s+([A-Z_]+)\b/.exec(c);
  if (t) return JSON.stringify({ kind: 'throws', code: t[1] });
  const bound = /^(≈|~|≤|<=|≥|>=)\s*(-?\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?)(?![\w.])/.exec(c);
  if (bound) {
    const kind = bound[1] === '≈' || bound[1] === '~' ? 'close' : bound[1] === '≤' || bound[1] === '<=' ? 'le' : 'ge';
    return JSON.stringify({ kind, source: bound[2]!.replace(/_/g, '') });
  }
  let literal: string | undefined;
  const num = /^-?\d[\d_]*(?:\.\d+)?(?:e[+-]?\d+)?(?![\w.])/.exec(c);
  const word = /^(true|false|null|NaN|undefined)(?![\w$])/.exec(c);
  if (num) literal = num[0];
  else if (word) literal = word[0];
  else if (c[0] === "'" || c[0] === '"') {
    const end = c.indexOf(c[0], 1);
    if (end > 0) literal = c.slice(0, end + 1);
  } else if (c[0] === '{' || c[0] === '[') {
    const end = bracketEnd(c);
    if (end > 0 && !/^[\w$]/.test(c.slice(end))) literal = c.slice(0, end);
  }
  if (literal === undefined) return undefined;
  try {
    new Function(`return (${literal});`);
  } catch {
    return undefined; // e.g. `{ timeS: [...50 bins] }`: a description, not a value
  }
  return `{ kind: 'equal', value: (${literal}), source: ${JSON.stringify(literal)} }`;
}

function isExpression(code: string): boolean {
  if (/^(const|let|var|for|if|while|return|import|export|throw|function|class)\b/.test(code)) return false;
  try {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval
    new Function(`return async () => (${code});`);
    return true;
  } catch {
    return false;
  }
}

/** Rewrites the import lines of an example; returns undefined for a line that is not an import. */
function rewriteImport(line: string): string | undefined {
  const m = /^\s*import\s+(.+?)\s+from\s+(['"])([^'"]+)\2;?\s*$/.exec(line);
  if (!m) return undefined;
  const [, what, , mod] = m as unknown as [string, string, string, string];
  if (mod === 'stridewise' || mod === 'stridewise/node') return '';
  const load = `await __scope.__import(${JSON.stringify(mod)})`;
  if (what.startsWith('{')) return `const ${what.replace(/\bas\b/g, ':')} = ${load};`;
  if (what.startsWith('* as ')) return `const ${what.slice(5)} = ${load};`;
  return `const { default: ${what} } = ${load};`;
}

/** Number of value checks in a compiled example (for reporting). */
export interface CompiledExample {
  readonly run: (scope: Record<string, unknown>, check: CheckFn) => Promise<void>;
  readonly checks: number;
}

/** Called for each checked line: the value (or a thunk for `throws`), what the comment says, and the line. */
export type CheckFn = (value: unknown, expected: { kind: string; value?: unknown; source?: string; code?: string }, line: string) => Promise<void> | void;

/**
 * Compiles an example into an async function of `(scope, check)`; the names in
 * `scopeNames` are bound from `scope`. TypeScript syntax is removed with esbuild.
 */
export function compileExample(example: DocExample, scopeNames: readonly string[]): CompiledExample {
  let checks = 0;
  const body = example.code
    .split('\n')
    .map((line) => {
      const imported = rewriteImport(line);
      if (imported !== undefined) return imported;
      const at = commentStart(line);
      if (at < 0) return line;
      const code = line.slice(0, at).trim().replace(/;$/, '');
      const expected = expectationOf(line.slice(at + 2));
      if (code === '' || expected === undefined || !isExpression(code)) return line;
      checks++;
      const shown = JSON.stringify(line.trim());
      return expected.includes('"throws"')
        ? `await __check(async () => (${code}), ${expected}, ${shown});`
        : `await __check(await (${code}), ${expected}, ${shown});`;
    })
    .join('\n');
  const source = `(async (__scope, __check) => {\nconst { ${scopeNames.join(', ')} } = __scope;\n{\n${body}\n}\n})`;
  const js = transformSync(source, { loader: 'ts', target: 'es2022' }).code;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const run = new Function(`return ${js.trim().replace(/;$/, '')}`)() as CompiledExample['run'];
  return { run, checks };
}

/** Decimal places of a number as written (`168.03` → 2, `3` → 0). */
function decimalsOf(source: string): number {
  const m = /\.(\d+)/.exec(source);
  return m ? m[1]!.length : 0;
}

/**
 * Compares a value with an expected literal: numbers to the digits written in
 * the literal (half a unit of the last digit), objects by the keys written,
 * arrays element by element. Returns a description of the first difference, or undefined.
 */
export function differenceFrom(actual: unknown, expected: unknown, path = ''): string | undefined {
  if (typeof expected === 'number') {
    if (Number.isNaN(expected)) return Number.isNaN(actual) ? undefined : `${path || 'value'} is ${String(actual)}, not NaN`;
    if (typeof actual !== 'number') return `${path || 'value'} is ${typeof actual}, not a number`;
    const tol = 0.5 * 10 ** -decimalsOf(String(expected)) + 1e-12;
    return Math.abs(actual - expected) <= tol ? undefined : `${path || 'value'} is ${actual}, not ${expected}`;
  }
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual) && !ArrayBuffer.isView(actual)) return `${path || 'value'} is not an array`;
    const a = Array.from(actual as ArrayLike<unknown>);
    if (a.length !== expected.length) return `${path || 'value'} has ${a.length} items, not ${expected.length}`;
    for (let i = 0; i < expected.length; i++) {
      const d = differenceFrom(a[i], expected[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object') return `${path || 'value'} is ${String(actual)}, not an object`;
    for (const [k, v] of Object.entries(expected)) {
      const d = differenceFrom((actual as Record<string, unknown>)[k], v, path === '' ? k : `${path}.${k}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  return Object.is(actual, expected) ? undefined : `${path || 'value'} is ${JSON.stringify(actual)}, not ${JSON.stringify(expected)}`;
}
