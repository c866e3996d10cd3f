// The subset of Kubernetes JSONPath that printer columns and `kubectl wait
// --for=jsonpath` use: .field, ['field'], [n], [*], [?(@.a.b=="x")] and
// [?(@.a!="x")]. Pure; returns every match in document order.

export class JsonPathError extends Error {}

type Step =
  | { kind: 'field'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'wildcard' }
  | { kind: 'filter'; path: string[]; op: '==' | '!=' | 'exists'; value?: string | number | boolean };

/** Parse ".status.conditions[?(@.type=='Ready')].status" (braces "{...}" optional) into steps. */
export function parseJsonPath(expr: string): Step[] {
  let s = expr.trim();
  if (s.startsWith('{') && s.endsWith('}')) s = s.slice(1, -1).trim();
  if (s.startsWith('$')) s = s.slice(1);
  const steps: Step[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (c === '.') {
      i++;
      if (s[i] === '.') throw new JsonPathError(`recursive descent (..) is not supported in "${expr}"`);
      let j = i;
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
      const name = s.slice(i, j);
      if (!name) {
        if (j >= s.length) break; // a lone "." means the whole object
        throw new JsonPathError(`empty field name in "${expr}"`);
      }
      steps.push(name === '*' ? { kind: 'wildcard' } : { kind: 'field', name });
      i = j;
    } else if (c === '[') {
      const close = findClose(s, i, expr);
      const inner = s.slice(i + 1, close).trim();
      i = close + 1;
      if (inner === '*') steps.push({ kind: 'wildcard' });
      else if (/^-?\d+$/.test(inner)) steps.push({ kind: 'index', index: Number(inner) });
      else if (/^'.*'$|^".*"$/.test(inner)) steps.push({ kind: 'field', name: inner.slice(1, -1) });
      else if (inner.startsWith('?(') && inner.endsWith(')')) steps.push(parseFilter(inner.slice(2, -1).trim(), expr));
      else throw new JsonPathError(`unsupported subscript [${inner}] in "${expr}"`);
    } else if (/\s/.test(c ?? '')) {
      i++;
    } else {
      // A leading field without a dot ("status.phase"), as people often write it.
      let j = i;
      while (j < s.length && s[j] !== '.' && s[j] !== '[') j++;
      steps.push({ kind: 'field', name: s.slice(i, j) });
      i = j;
    }
  }
  return steps;
}

function findClose(s: string, open: number, expr: string): number {
  let depth = 0;
  let quote: string | undefined;
  for (let k = open; k < s.length; k++) {
    const ch = s[k];
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if (ch === ']' || ch === ')') {
      depth--;
      if (depth === 0 && ch === ']') return k;
    }
  }
  throw new JsonPathError(`unclosed [ in "${expr}"`);
}

function parseFilter(f: string, expr: string): Step {
  const m = /^@((?:\.[A-Za-z0-9_-]+|\['[^']*'\])+)\s*(==|!=)?\s*(.*)$/.exec(f);
  if (!m) throw new JsonPathError(`unsupported filter ?(${f}) in "${expr}"`);
  const path = [...m[1]!.matchAll(/\.([A-Za-z0-9_-]+)|\['([^']*)'\]/g)].map((x) => (x[1] ?? x[2])!);
  if (!m[2]) return { kind: 'filter', path, op: 'exists' };
  const raw = m[3]!.trim();
  let value: string | number | boolean;
  if (/^'.*'$|^".*"$/.test(raw)) value = raw.slice(1, -1);
  else if (raw === 'true' || raw === 'false') value = raw === 'true';
  else if (raw !== '' && !Number.isNaN(Number(raw))) value = Number(raw);
  else throw new JsonPathError(`unsupported filter value ${raw} in "${expr}"`);
  return { kind: 'filter', path, op: m[2] as '==' | '!=', value };
}

function get(obj: unknown, path: string[]): unknown {
  let cur = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[p];
  }
  return cur;
}

/** All values the expression selects from `obj`. */
export function evaluateJsonPath(obj: unknown, expr: string | Step[]): unknown[] {
  const steps = typeof expr === 'string' ? parseJsonPath(expr) : expr;
  let current: unknown[] = [obj];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of current) {
      if (v === null || v === undefined) continue;
      switch (step.kind) {
        case 'field':
          if (typeof v === 'object' && !Array.isArray(v) && step.name in (v as object)) next.push((v as Record<string, unknown>)[step.name]);
          break;
        case 'index':
          if (Array.isArray(v)) {
            const idx = step.index < 0 ? v.length + step.index : step.index;
            if (idx >= 0 && idx < v.length) next.push(v[idx]);
          }
          break;
        case 'wildcard':
          if (Array.isArray(v)) next.push(...v);
          else if (typeof v === 'object') next.push(...Object.values(v as object));
          break;
        case 'filter': {
          const items = Array.isArray(v) ? v : [];
          for (const item of items) {
            const got = get(item, step.path);
            if (step.op === 'exists' ? got !== undefined : step.op === '==' ? got === step.value : got !== undefined && got !== step.value) next.push(item);
          }
          break;
        }
      }
    }
    current = next;
  }
  return current;
}

/** Text of the matches, as printer columns show them (objects as JSON, several joined by commas). */
export function jsonPathText(obj: unknown, expr: string | Step[]): string {
  return evaluateJsonPath(obj, expr)
    .map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v)))
    .join(',');
}
