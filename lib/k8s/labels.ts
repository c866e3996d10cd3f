// Label selectors: the string syntax of ?labelSelector= (apimachinery
// labels.Parse), the metav1.LabelSelector object form, and matching.

import { isQualifiedName, isValidLabelValue } from './names';

/** selection.Operator values, as the string syntax spells them. */
export type SelectorOperator = '=' | '==' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

/** One parsed requirement (labels.Requirement). "!" is DoesNotExist. */
export interface LabelSelectorRequirement {
  key: string;
  operator: SelectorOperator;
  values: string[];
}

/** metav1.LabelSelectorRequirement: an entry of matchExpressions. */
export interface LabelSelectorExpression {
  key: string;
  /** In, NotIn, Exists or DoesNotExist. */
  operator: string;
  values?: string[] | null;
}

/** metav1.LabelSelector. null/undefined as a whole selects nothing; {} selects everything. */
export interface LabelSelector {
  matchLabels?: Record<string, string> | null;
  matchExpressions?: LabelSelectorExpression[] | null;
}

/** A selector (label or field) that does not parse or names an invalid key or value. */
export class SelectorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelectorError';
  }
}

type Token = 'id' | '(' | ')' | ',' | '!' | '=' | '==' | '!=' | '>' | '<' | 'eos';
interface Scanned {
  tok: Token;
  lit: string;
}

const SYMBOLS: ReadonlySet<string> = new Set(['(', ')', ',', '!', '=', '==', '!=', '>', '<']);
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);
const BINARY_OPERATORS = 'in, notin, =, ==, !=, gt, lt';

/** Splits a selector into tokens; operators are the longest run of symbols that is one. */
function lex(s: string): Scanned[] {
  const out: Scanned[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && WHITESPACE.has(s[i] as string)) i++;
    if (i >= s.length) {
      out.push({ tok: 'eos', lit: '' });
      return out;
    }
    if (SPECIAL.has(s[i] as string)) {
      let best = '';
      let j = i;
      while (j < s.length && SPECIAL.has(s[j] as string)) {
        const candidate = s.slice(i, j + 1);
        if (SYMBOLS.has(candidate)) best = candidate;
        else if (best) break;
        j++;
      }
      out.push({ tok: best as Token, lit: best });
      i += best.length;
    } else {
      const start = i;
      while (i < s.length && !SPECIAL.has(s[i] as string) && !WHITESPACE.has(s[i] as string)) i++;
      out.push({ tok: 'id', lit: s.slice(start, i) });
    }
  }
}

const quote = (v: string): string => JSON.stringify(v);
const goStrings = (vals: readonly string[]): string => `[]string{${vals.map(quote).join(', ')}}`;

function checkKey(key: string, field: string): string[] {
  const errs = isQualifiedName(key);
  return errs.length ? [`${field}Invalid value: ${quote(key)}: ${errs.join('; ')}`] : [];
}

function isInt64(v: string): boolean {
  if (!/^[+-]?[0-9]+$/.test(v)) return false;
  const n = BigInt(v);
  return n >= -(2n ** 63n) && n < 2n ** 63n;
}

/** labels.NewRequirement's checks; returns Kubernetes-worded messages, empty when valid. */
function requirementErrors(key: string, operator: SelectorOperator, values: readonly string[], withKeyPath: boolean): string[] {
  const errs = withKeyPath ? checkKey(key, 'key: ') : [];
  switch (operator) {
    case 'in':
    case 'notin':
      if (values.length === 0) errs.push(`values: Invalid value: ${goStrings(values)}: for 'in', 'notin' operators, values set can't be empty`);
      break;
    case '=':
    case '==':
    case '!=':
      if (values.length !== 1) errs.push(`values: Invalid value: ${goStrings(values)}: exact-match compatibility requires one single value`);
      break;
    case 'exists':
    case '!':
      if (values.length !== 0) errs.push(`values: Invalid value: ${goStrings(values)}: values set must be empty for exists and does not exist`);
      break;
    case 'gt':
    case 'lt':
      if (values.length !== 1) errs.push(`values: Invalid value: ${goStrings(values)}: for 'Gt', 'Lt' operators, exactly one value is required`);
      values.forEach((v, i) => {
        if (!isInt64(v)) errs.push(`values[${i}]: Invalid value: ${quote(v)}: for 'Gt', 'Lt' operators, the value must be an integer`);
      });
      break;
  }
  values.forEach((v, i) => {
    const msgs = isValidLabelValue(v);
    if (msgs.length) errs.push(`values[${i}][${key}]: Invalid value: ${quote(v)}: ${msgs.join('; ')}`);
  });
  return errs;
}

/** field.ErrorList.ToAggregate().Error(): one message, or several in brackets. */
const aggregate = (errs: string[]): string => (errs.length === 1 ? (errs[0] ?? '') : `[${errs.join(', ')}]`);

const byKey = (a: LabelSelectorRequirement, b: LabelSelectorRequirement): number => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Recursive-descent parser over the token list, mirroring labels.Parse and its messages. */
class Parser {
  private pos = 0;
  constructor(private readonly items: Scanned[]) {}

  private peek(): Scanned {
    return this.items[this.pos] ?? { tok: 'eos', lit: '' };
  }
  private next(): Scanned {
    const item = this.peek();
    if (this.pos < this.items.length - 1) this.pos++;
    return item;
  }

  parse(): LabelSelectorRequirement[] {
    const out: LabelSelectorRequirement[] = [];
    for (;;) {
      const { tok, lit } = this.peek();
      if (tok === 'eos') return out;
      if (tok !== 'id' && tok !== '!') throw new SelectorError(`found '${lit}', expected: !, identifier, or 'end of string'`);
      try {
        out.push(this.requirement());
      } catch (e) {
        if (e instanceof SelectorError) throw new SelectorError(`unable to parse requirement: ${e.message}`);
        throw e;
      }
      const after = this.next();
      if (after.tok === 'eos') return out;
      if (after.tok !== ',') throw new SelectorError(`found '${after.lit}', expected: ',' or 'end of string'`);
      const following = this.peek();
      if (following.tok !== 'id' && following.tok !== '!') {
        throw new SelectorError(`found '${following.lit}', expected: identifier after ','`);
      }
    }
  }

  private requirement(): LabelSelectorRequirement {
    let first = this.next();
    const negated = first.tok === '!';
    if (negated) first = this.next();
    if (first.tok !== 'id') throw new SelectorError(`found '${first.lit}', expected: identifier`);
    const key = first.lit;
    const keyErrs = checkKey(key, '');
    if (keyErrs.length) throw new SelectorError(aggregate(keyErrs));

    const following = this.peek().tok;
    if (negated || following === 'eos' || following === ',') {
      // "!key" is complete on its own; whatever follows it is the caller's problem.
      return { key, operator: negated ? '!' : 'exists', values: [] };
    }
    const operator = this.operator();
    const values = operator === 'in' || operator === 'notin' ? this.valueSet() : this.exactValue();
    // The string form is a set: values come back sorted and unique (sets.String.List()).
    const sorted = [...new Set(values)].sort();
    const errs = requirementErrors(key, operator, sorted, false);
    if (errs.length) throw new SelectorError(aggregate(errs));
    return { key, operator, values: sorted };
  }

  private operator(): SelectorOperator {
    const { tok, lit } = this.next();
    if (tok === 'id' && (lit === 'in' || lit === 'notin')) return lit;
    switch (tok) {
      case '=':
      case '==':
      case '!=':
        return tok;
      case '>':
        return 'gt';
      case '<':
        return 'lt';
      default:
        throw new SelectorError(`found '${lit}', expected: ${BINARY_OPERATORS}`);
    }
  }

  private valueSet(): string[] {
    const open = this.next();
    if (open.tok !== '(') throw new SelectorError(`found '${open.lit}' expected: '('`);
    const { tok, lit } = this.peek();
    if (tok === ')') {
      this.next();
      return [''];
    }
    if (tok !== 'id' && tok !== ',') throw new SelectorError(`found '${lit}', expected: ',', ')' or identifier`);
    const values = this.identifierList();
    const close = this.next();
    if (close.tok !== ')') throw new SelectorError(`found '${lit}', expected: ')'`);
    return values;
  }

  /** Values inside parentheses; empty positions (",a", "a,", "a,,b") are the empty value. */
  private identifierList(): string[] {
    const values: string[] = [];
    for (;;) {
      const { tok, lit } = this.next();
      if (tok === 'id') {
        values.push(lit);
        const after = this.peek();
        if (after.tok === ',') continue;
        if (after.tok === ')') return values;
        throw new SelectorError(`found '${after.lit}', expected: ',' or ')'`);
      }
      if (tok !== ',') throw new SelectorError(`found '${lit}', expected: ',', or identifier`);
      if (values.length === 0) values.push('');
      const after = this.peek().tok;
      if (after === ')') {
        values.push('');
        return values;
      }
      if (after === ',') {
        this.next();
        values.push('');
      }
    }
  }

  private exactValue(): string[] {
    const { tok } = this.peek();
    if (tok === 'eos' || tok === ',') return [''];
    const value = this.next();
    if (value.tok === 'id') return [value.lit];
    throw new SelectorError(`found '${value.lit}', expected: identifier`);
  }
}

/**
 * Parses the string syntax of ?labelSelector=: "a=b", "a==b", "a!=b",
 * "a in (x,y)", "a notin (x)", "a", "!a", "a>3", "a<3", comma-separated.
 * Requirements come back sorted by key, as labels.Parse returns them.
 */
export function parseLabelSelector(selector: string): LabelSelectorRequirement[] {
  return new Parser(lex(selector)).parse().sort(byKey);
}

function matchesRequirement(r: LabelSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, r.key);
  const value = has ? labels[r.key] : undefined;
  switch (r.operator) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(value as string);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(value as string);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      const wanted = r.values[0];
      if (!has || r.values.length !== 1 || wanted === undefined || !isInt64(value as string) || !isInt64(wanted)) return false;
      const actual = BigInt(value as string);
      return r.operator === 'gt' ? actual > BigInt(wanted) : actual < BigInt(wanted);
    }
  }
}

/** True when the labels satisfy every requirement (an empty list matches everything). */
export function matchesLabelSelector(
  requirements: readonly LabelSelectorRequirement[],
  labels: Readonly<Record<string, string>> | null | undefined,
): boolean {
  const set = labels ?? {};
  return requirements.every((r) => matchesRequirement(r, set));
}

const OBJECT_OPERATORS: Record<string, SelectorOperator> = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' };

/**
 * metav1.LabelSelectorAsSelector: matchLabels become "=" requirements,
 * matchExpressions In/NotIn/Exists/DoesNotExist; sorted by key. A null
 * selector gives null (selects nothing). Throws SelectorError when invalid.
 */
export function labelSelectorFromObject(selector: LabelSelector): LabelSelectorRequirement[];
export function labelSelectorFromObject(selector: LabelSelector | null | undefined): LabelSelectorRequirement[] | null;
export function labelSelectorFromObject(selector: LabelSelector | null | undefined): LabelSelectorRequirement[] | null {
  if (!selector) return null;
  const out: LabelSelectorRequirement[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const errs = requirementErrors(key, '=', [value], true);
    if (errs.length) throw new SelectorError(aggregate(errs));
    out.push({ key, operator: '=', values: [value] });
  }
  for (const expr of selector.matchExpressions ?? []) {
    const operator = Object.hasOwn(OBJECT_OPERATORS, expr.operator) ? OBJECT_OPERATORS[expr.operator] : undefined;
    if (!operator) throw new SelectorError(`${quote(expr.operator)} is not a valid label selector operator`);
    const values = [...(expr.values ?? [])];
    const errs = requirementErrors(expr.key, operator, values, true);
    if (errs.length) throw new SelectorError(aggregate(errs));
    out.push({ key: expr.key, operator, values });
  }
  return out.sort(byKey);
}

/**
 * Whether labels match a metav1.LabelSelector: a null selector matches
 * nothing, an empty one everything. Throws SelectorError when invalid.
 */
export function matchesSelectorObject(
  selector: LabelSelector | null | undefined,
  labels: Readonly<Record<string, string>> | null | undefined,
): boolean {
  const requirements = labelSelectorFromObject(selector);
  return requirements !== null && matchesLabelSelector(requirements, labels);
}

function formatRequirement(r: LabelSelectorRequirement): string {
  // More than one value is printed sorted, like Requirement.String().
  const values = r.values.length > 1 ? [...r.values].sort().join(',') : (r.values[0] ?? '');
  switch (r.operator) {
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    case 'in':
    case 'notin':
      return `${r.key} ${r.operator} (${values})`;
    case 'gt':
      return `${r.key}>${values}`;
    case 'lt':
      return `${r.key}<${values}`;
    default:
      return `${r.key}${r.operator}${values}`;
  }
}

/**
 * The string form of a selector, for ?labelSelector= ("" selects everything).
 * Takes parsed requirements or a metav1.LabelSelector (throws if invalid).
 */
export function formatLabelSelector(selector: LabelSelector | readonly LabelSelectorRequirement[]): string {
  const requirements = Array.isArray(selector)
    ? (selector as readonly LabelSelectorRequirement[])
    : labelSelectorFromObject(selector as LabelSelector);
  return requirements.map(formatRequirement).join(',');
}

/** For display, like metav1.FormatLabelSelector: "<none>" when empty or null, "<error>" when invalid. */
export function describeLabelSelector(selector: LabelSelector | null | undefined): string {
  try {
    const requirements = labelSelectorFromObject(selector);
    const text = requirements ? formatLabelSelector(requirements) : '';
    return text || '<none>';
  } catch (e) {
    if (e instanceof SelectorError) return '<error>';
    throw e;
  }
}
