/**
 * Compiles custom rules with mathjs, in a restricted form.
 *
 * mathjs is imported dynamically, only when custom rules exist (it costs about
 * 0.3–0.6 s to load), so this step is async; evaluation stays synchronous.
 *
 * Safety (mathjs security guide: https://mathjs.org/docs/expressions/security.html):
 * 1. The expression tree is checked against an allow-list before anything is
 *    compiled: constants, the catalogue's fields (`CUSTOM_RULE_FIELDS`),
 *    arithmetic, comparisons, logic, `a ? b : c` and ten numeric functions.
 *    Assignments, function definitions, matrices, objects, ranges, bracket
 *    indexing, implicit multiplication (units such as `5 km`) and every other
 *    function — `import`, `createUnit`, `evaluate`, `parse`, `compile`,
 *    `simplify`, `derivative`, `resolve`, `reviver`, ... — are refused with
 *    `INVALID_RULE` at compile time.
 * 2. The mathjs instance is private to each call, and its risky functions are
 *    overridden to throw (defence in depth, as the security guide recommends).
 * 3. An expression sees a scope built from exactly the fields it names.
 */
import type { MathJsInstance, MathNode } from 'mathjs';
import { StridewiseError } from '../../errors.js';
import type { Evidence, Severity } from '../types.js';
import { CUSTOM_RULE_FIELDS, fieldRoots, findCustomRuleField } from './fields.js';
import type { CompiledCustomRule, CompiledCustomRules, CustomRuleDefinition, FieldValue } from './types.js';
import { COMPILED_CUSTOM_RULES_KIND } from './types.js';

type ValueType = 'number' | 'string' | 'boolean';

/** Numeric functions an expression may call, with their allowed argument counts. */
const ALLOWED_FUNCTIONS: ReadonlyMap<string, readonly [number, number]> = new Map([
  ['abs', [1, 1]],
  ['min', [1, 10]],
  ['max', [1, 10]],
  ['round', [1, 2]],
  ['floor', [1, 1]],
  ['ceil', [1, 1]],
  ['sqrt', [1, 1]],
  ['exp', [1, 1]],
  ['log', [1, 2]],
  ['log10', [1, 1]],
]);

/** Functions disabled in the private instance (mathjs security guide, plus everything that parses or builds code). */
const DISABLED_FUNCTIONS = [
  'import',
  'createUnit',
  'reviver',
  'evaluate',
  'parse',
  'compile',
  'simplify',
  'simplifyConstant',
  'simplifyCore',
  'derivative',
  'resolve',
  'parser',
  'chain',
  'rationalize',
  'leafCount',
  'symbolicEqual',
  'help',
] as const;

const OPERATORS: Readonly<Record<string, { readonly args: ValueType | 'same'; readonly result: ValueType | 'same'; readonly arity: number }>> = {
  and: { args: 'boolean', result: 'boolean', arity: 2 },
  or: { args: 'boolean', result: 'boolean', arity: 2 },
  xor: { args: 'boolean', result: 'boolean', arity: 2 },
  not: { args: 'boolean', result: 'boolean', arity: 1 },
  smaller: { args: 'number', result: 'boolean', arity: 2 },
  larger: { args: 'number', result: 'boolean', arity: 2 },
  smallerEq: { args: 'number', result: 'boolean', arity: 2 },
  largerEq: { args: 'number', result: 'boolean', arity: 2 },
  equal: { args: 'same', result: 'boolean', arity: 2 },
  unequal: { args: 'same', result: 'boolean', arity: 2 },
  add: { args: 'number', result: 'number', arity: 2 },
  subtract: { args: 'number', result: 'number', arity: 2 },
  multiply: { args: 'number', result: 'number', arity: 2 },
  divide: { args: 'number', result: 'number', arity: 2 },
  pow: { args: 'number', result: 'number', arity: 2 },
  mod: { args: 'number', result: 'number', arity: 2 },
  unaryMinus: { args: 'number', result: 'number', arity: 1 },
  unaryPlus: { args: 'number', result: 'number', arity: 1 },
};

const NODE_PROBLEMS: Readonly<Record<string, string>> = {
  AssignmentNode: 'assignments (=) are not allowed; compare with ==',
  FunctionAssignmentNode: 'function definitions are not allowed',
  BlockNode: 'only one expression is allowed (no ; or new lines)',
  ArrayNode: 'matrices and lists ([...]) are not allowed',
  ObjectNode: 'objects ({...}) are not allowed',
  RangeNode: 'ranges (a:b) are not allowed',
  IndexNode: 'indexing is not allowed',
  RelationalNode: 'chained comparisons (a < b < c) are not allowed; join two comparisons with and',
};

const MAX_EXPRESSION_CHARS = 500;
const ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;
const SEVERITIES: readonly Severity[] = ['info', 'caution', 'warning'];
const GRADES: readonly Evidence['grade'][] = ['A', 'B', 'C', 'D'];
const PLACEHOLDER = /\{([A-Za-z0-9_.]+)\}/g;

class RuleProblem extends Error {}

function fail(message: string): never {
  throw new RuleProblem(message);
}

function suggestFields(name: string): string {
  const lower = name.toLowerCase();
  const tail = lower.split('.').pop() ?? lower;
  const near =
    tail.length < 4
      ? []
      : CUSTOM_RULE_FIELDS.map((f) => f.name).filter((n) => {
          const last = (n.split('.').pop() ?? n).toLowerCase();
          return last.includes(tail) || tail.includes(last) || last.slice(0, 5) === tail.slice(0, 5);
        });
  const shown = (near.length > 0 ? near : CUSTOM_RULE_FIELDS.map((f) => f.name)).slice(0, 8);
  return `${near.length > 0 ? 'did you mean' : 'fields include'}: ${shown.join(', ')}`;
}

interface Checked {
  readonly type: ValueType;
}

/** Walks the tree, checks every node against the allow-list, infers types, and collects field names. */
function checkNode(node: MathNode, fields: Set<string>, roots: ReadonlySet<string>): Checked {
  switch (node.type) {
    case 'ConstantNode': {
      const value: unknown = (node as unknown as { value: unknown }).value;
      if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return { type: typeof value as ValueType };
      return fail(`the constant ${String(value)} is not allowed (only numbers, "strings", true and false)`);
    }
    case 'SymbolNode': {
      const name = (node as unknown as { name: string }).name;
      const field = findCustomRuleField(name);
      if (field !== undefined) {
        fields.add(name);
        return { type: field.type };
      }
      if (roots.has(name)) {
        const members = CUSTOM_RULE_FIELDS.filter((f) => f.name.startsWith(`${name}.`)).map((f) => f.name);
        return fail(`'${name}' is a group of fields, not a value; use one of: ${members.join(', ')}`);
      }
      return fail(`unknown field '${name}' (${suggestFields(name)})`);
    }
    case 'AccessorNode': {
      const path: string[] = [];
      let current: MathNode = node;
      while (current.type === 'AccessorNode') {
        const acc = current as unknown as { object: MathNode; index: { dotNotation: boolean; dimensions: MathNode[] } };
        const dim = acc.index.dimensions[0];
        if (!acc.index.dotNotation || acc.index.dimensions.length !== 1 || dim === undefined || dim.type !== 'ConstantNode') {
          return fail('bracket indexing is not allowed; write fields with dots, e.g. cadence.avgSpm');
        }
        path.unshift(String((dim as unknown as { value: unknown }).value));
        current = acc.object;
      }
      if (current.type !== 'SymbolNode') return fail('only fields can be followed by .name');
      path.unshift((current as unknown as { name: string }).name);
      const name = path.join('.');
      const field = findCustomRuleField(name);
      if (field === undefined) return fail(`unknown field '${name}' (${suggestFields(name)})`);
      fields.add(name);
      return { type: field.type };
    }
    case 'ParenthesisNode':
      return checkNode((node as unknown as { content: MathNode }).content, fields, roots);
    case 'ConditionalNode': {
      const c = node as unknown as { condition: MathNode; trueExpr: MathNode; falseExpr: MathNode };
      if (checkNode(c.condition, fields, roots).type !== 'boolean') fail('the part before ? must be a condition (true/false)');
      const a = checkNode(c.trueExpr, fields, roots).type;
      const b = checkNode(c.falseExpr, fields, roots).type;
      if (a !== b) fail(`both branches of ? : must have the same type (got ${a} and ${b})`);
      return { type: a };
    }
    case 'OperatorNode': {
      const op = node as unknown as { op: string; fn: string; args: MathNode[]; implicit: boolean };
      if (op.implicit) return fail('implicit multiplication (such as "5 km" or "2 x") is not allowed; write * and use plain numbers');
      const spec = OPERATORS[op.fn];
      if (spec === undefined) return fail(`the operator '${op.op}' is not allowed`);
      if (op.args.length !== spec.arity) return fail(`the operator '${op.op}' needs ${spec.arity} operand(s)`);
      const types = op.args.map((a) => checkNode(a, fields, roots).type);
      if (spec.args === 'same') {
        if (types[0] !== types[1]) fail(`'${op.op}' compares values of different types (${types[0]} and ${types[1]})`);
      } else {
        for (const t of types) if (t !== spec.args) fail(`'${op.op}' needs ${spec.args} operands, got ${t}`);
      }
      return { type: spec.result === 'same' ? types[0]! : spec.result };
    }
    case 'FunctionNode': {
      const f = node as unknown as { fn: MathNode; args: MathNode[] };
      const name = f.fn.type === 'SymbolNode' ? (f.fn as unknown as { name: string }).name : null;
      if (name === null) return fail('only named functions can be called');
      const arity = ALLOWED_FUNCTIONS.get(name);
      if (arity === undefined) {
        const forbidden = (DISABLED_FUNCTIONS as readonly string[]).includes(name);
        return fail(
          `${forbidden ? 'the function' : 'unknown or disallowed function'} '${name}'${forbidden ? ' is forbidden in custom rules' : ''} (allowed: ${[...ALLOWED_FUNCTIONS.keys()].join(', ')})`,
        );
      }
      if (f.args.length < arity[0] || f.args.length > arity[1]) {
        fail(`${name}() takes ${arity[0] === arity[1] ? arity[0] : `${arity[0]} to ${arity[1]}`} argument(s), got ${f.args.length}`);
      }
      for (const a of f.args) if (checkNode(a, fields, roots).type !== 'number') fail(`${name}() takes numbers`);
      return { type: 'number' };
    }
    default:
      return fail(NODE_PROBLEMS[node.type] ?? `${node.type} is not allowed`);
  }
}

/** Replaces `a == b` / `a != b` on strings by `equalText`, which mathjs compares as text (its `equal` converts to numbers). */
function rewriteTextEquality(math: MathJsInstance, node: MathNode): MathNode {
  const isText = (n: MathNode): boolean => {
    if (n.type === 'ParenthesisNode') return isText((n as unknown as { content: MathNode }).content);
    if (n.type === 'ConstantNode') return typeof (n as unknown as { value: unknown }).value === 'string';
    if (n.type === 'SymbolNode') return findCustomRuleField((n as unknown as { name: string }).name)?.type === 'string';
    if (n.type === 'AccessorNode') return n.toString().split('.').length > 1 && findCustomRuleField(n.toString())?.type === 'string';
    if (n.type === 'ConditionalNode') return isText((n as unknown as { trueExpr: MathNode }).trueExpr);
    return false;
  };
  return node.transform((n) => {
    if (n.type !== 'OperatorNode') return n;
    const op = n as unknown as { fn: string; args: MathNode[] };
    if ((op.fn !== 'equal' && op.fn !== 'unequal') || !op.args.some(isText)) return n;
    const args = op.args.map((a) => rewriteTextEquality(math, a));
    const call = new math.FunctionNode(new math.SymbolNode('equalText'), args);
    return op.fn === 'equal' ? call : new math.OperatorNode('not', 'not', [call]);
  });
}

function checkDefinitionShape(def: unknown, index: number, seen: Set<string>): CustomRuleDefinition {
  const where = `custom rule #${index + 1}`;
  if (def === null || typeof def !== 'object' || Array.isArray(def)) throw new StridewiseError('INVALID_RULE', `${where} must be an object`);
  const d = def as Record<string, unknown>;
  const allowed = ['id', 'when', 'severity', 'message', 'advice', 'evidence', 'observedField', 'appliesTo'];
  for (const key of Object.keys(d)) {
    if (!allowed.includes(key)) throw new StridewiseError('INVALID_RULE', `${where}: unknown key '${key}' (allowed: ${allowed.join(', ')})`);
  }
  if (typeof d['id'] !== 'string' || !ID_PATTERN.test(d['id'])) {
    throw new StridewiseError('INVALID_RULE', `${where}: id must be 1–40 lower-case letters, digits or dashes, got ${JSON.stringify(d['id'])}`);
  }
  const id = d['id'];
  const named = `custom rule '${id}'`;
  if (seen.has(id)) throw new StridewiseError('INVALID_RULE', `${named}: the id is used twice`);
  seen.add(id);
  if (typeof d['when'] !== 'string' || d['when'].trim() === '') throw new StridewiseError('INVALID_RULE', `${named}: 'when' must be a non-empty expression`);
  if (d['when'].length > MAX_EXPRESSION_CHARS) {
    throw new StridewiseError('INVALID_RULE', `${named}: 'when' is longer than ${MAX_EXPRESSION_CHARS} characters`);
  }
  if (!SEVERITIES.includes(d['severity'] as Severity)) {
    throw new StridewiseError('INVALID_RULE', `${named}: severity must be one of ${SEVERITIES.join(', ')}, got ${JSON.stringify(d['severity'])}`);
  }
  if (typeof d['message'] !== 'string' || d['message'].trim() === '') throw new StridewiseError('INVALID_RULE', `${named}: 'message' must be a non-empty text`);
  if (d['advice'] !== undefined && (!Array.isArray(d['advice']) || !d['advice'].every((a) => typeof a === 'string'))) {
    throw new StridewiseError('INVALID_RULE', `${named}: 'advice' must be a list of texts`);
  }
  if (d['evidence'] !== undefined) {
    const e = d['evidence'] as Record<string, unknown> | null;
    if (e === null || typeof e !== 'object' || !GRADES.includes(e['grade'] as Evidence['grade']) || typeof e['reference'] !== 'string') {
      throw new StridewiseError('INVALID_RULE', `${named}: 'evidence' must be { grade: 'A'|'B'|'C'|'D', reference: string }`);
    }
  }
  if (d['observedField'] !== undefined) {
    const f = typeof d['observedField'] === 'string' ? findCustomRuleField(d['observedField']) : undefined;
    if (f === undefined || f.type !== 'number') {
      throw new StridewiseError('INVALID_RULE', `${named}: observedField must name a numeric field, got ${JSON.stringify(d['observedField'])}`);
    }
  }
  if (d['appliesTo'] !== undefined && d['appliesTo'] !== 'running' && d['appliesTo'] !== 'all') {
    throw new StridewiseError('INVALID_RULE', `${named}: appliesTo must be 'running' or 'all'`);
  }
  return d as unknown as CustomRuleDefinition;
}

/** Shows where a syntax error is: the expression with a caret under the position (1-based). */
function pointAt(expression: string, position: number): string {
  return `\n  ${expression}\n  ${' '.repeat(Math.max(0, position - 1))}^`;
}

function buildScope(values: ReadonlyMap<string, FieldValue>): Map<string, unknown> {
  const scope = new Map<string, unknown>();
  for (const [name, value] of values) {
    const parts = name.split('.');
    if (parts.length === 1) {
      scope.set(name, value);
      continue;
    }
    const root = parts[0]!;
    let obj = scope.get(root) as Record<string, unknown> | undefined;
    if (obj === undefined) {
      obj = {};
      scope.set(root, obj);
    }
    for (let i = 1; i < parts.length - 1; i++) {
      const key = parts[i]!;
      let next = obj[key] as Record<string, unknown> | undefined;
      if (next === undefined) {
        next = {};
        obj[key] = next;
      }
      obj = next;
    }
    obj[parts[parts.length - 1]!] = value;
  }
  return scope;
}

/**
 * Loads mathjs (dynamic import) and returns a private instance whose risky
 * functions throw, with the original parser kept aside for compiling.
 * Internal; exported for tests.
 */
export async function loadRestrictedMath(): Promise<{ readonly math: MathJsInstance; readonly parse: MathJsInstance['parse'] }> {
  const mathjs = await import('mathjs');
  if (mathjs.all === undefined) throw new StridewiseError('INTERNAL', 'mathjs did not load its function set');
  const math = mathjs.create(mathjs.all, { predictable: true });
  const parse = math.parse;
  const disabled: Record<string, () => never> = {};
  for (const name of DISABLED_FUNCTIONS) {
    disabled[name] = () => {
      throw new Error(`Function ${name} is disabled`);
    };
  }
  math.import(disabled, { override: true });
  return { math, parse };
}

/**
 * Compiles custom rules so that {@link evaluateRules} can run them
 * synchronously. Loads mathjs on first use (dynamic import).
 *
 * @param definitions - Rules as written by the user.
 * @returns An opaque value to pass as `options.customRules`.
 * @throws StridewiseError `INVALID_RULE` naming the rule and the problem: a
 *   syntax error (with its position), an unknown field (with suggestions), a
 *   forbidden or unknown function, a disallowed construct, a type mismatch
 *   (the condition must be true/false), an unknown `{placeholder}` in the
 *   message, a duplicate or malformed id, or a bad severity.
 *
 * @example
 * ```ts
 * const customRules = await compileCustomRules([
 *   { id: 'long-slow', when: 'distanceKm > 15 and cadence.avgSpm < 165', severity: 'caution',
 *     message: 'Long run at {cadence.avgSpm} spm.' },
 * ]);
 * const findings = evaluateRules(history, summaries, { customRules });
 * ```
 */
export async function compileCustomRules(definitions: readonly CustomRuleDefinition[]): Promise<CompiledCustomRules> {
  if (!Array.isArray(definitions)) throw new StridewiseError('INVALID_RULE', 'custom rules must be a list');
  const seen = new Set<string>();
  const checkedDefs = definitions.map((d, i) => checkDefinitionShape(d, i, seen));
  if (checkedDefs.length === 0) return Object.freeze({ kind: COMPILED_CUSTOM_RULES_KIND, rules: Object.freeze([]) });

  const { math, parse } = await loadRestrictedMath();
  const roots = fieldRoots();

  const rules = checkedDefs.map((def): CompiledCustomRule => {
    const named = `custom rule '${def.id}'`;
    let tree: MathNode;
    try {
      tree = parse(def.when);
    } catch (error) {
      const position = (error as { char?: unknown }).char;
      const message = (error instanceof Error ? error.message : String(error)).replace(/\s*\(char \d+\)$/, '');
      const where = typeof position === 'number' ? ` at position ${position}${pointAt(def.when, position)}` : '';
      throw new StridewiseError('INVALID_RULE', `${named}: syntax error${where}\n  ${message}`, { cause: error });
    }
    const fields = new Set<string>();
    let type: ValueType;
    try {
      type = checkNode(tree, fields, roots).type;
    } catch (error) {
      if (error instanceof RuleProblem) throw new StridewiseError('INVALID_RULE', `${named}: ${error.message}`);
      throw error;
    }
    if (type !== 'boolean') {
      throw new StridewiseError('INVALID_RULE', `${named}: 'when' must be a condition that is true or false (a comparison), but it gives a ${type}`);
    }
    for (const match of def.message.matchAll(PLACEHOLDER)) {
      if (findCustomRuleField(match[1]!) === undefined) {
        throw new StridewiseError('INVALID_RULE', `${named}: unknown field {${match[1]}} in the message (${suggestFields(match[1]!)})`);
      }
    }
    const code = rewriteTextEquality(math, tree).compile();
    const test = (values: ReadonlyMap<string, FieldValue>): boolean => {
      const result: unknown = code.evaluate(buildScope(values));
      if (typeof result !== 'boolean') throw new Error(`the condition gave ${String(result)}, not true or false`);
      return result;
    };
    return Object.freeze({
      id: def.id,
      when: def.when,
      severity: def.severity,
      message: def.message,
      advice: Object.freeze([...(def.advice ?? [])]),
      evidence: Object.freeze(def.evidence === undefined ? { grade: 'D' as const, reference: 'user-defined rule' } : { ...def.evidence }),
      observedField: def.observedField ?? null,
      appliesTo: def.appliesTo ?? 'running',
      fields: Object.freeze([...fields].sort()),
      test,
    });
  });
  return Object.freeze({ kind: COMPILED_CUSTOM_RULES_KIND, rules: Object.freeze(rules) });
}
