// A small reader of the declaration files openapi-generator writes (the .d.ts
// of @kubevirt-ui-ext/kubevirt-api): interfaces with JSDoc'd fields, string
// enums and type aliases. Anything else is skipped; a field whose type it
// cannot read becomes `unknown` rather than an error.

export type TypeExpr =
  | { kind: 'name'; name: string }
  | { kind: 'array'; of: TypeExpr }
  | { kind: 'map'; of: TypeExpr }
  | { kind: 'literals'; values: Array<string | number | boolean> }
  | { kind: 'object'; fields: DtsField[] }
  | { kind: 'union'; of: TypeExpr[] }
  | { kind: 'unknown' };

export interface DtsField {
  name: string;
  optional: boolean;
  type: TypeExpr;
  doc?: string;
}

export interface DtsInterface {
  name: string;
  doc?: string;
  extends: string[];
  fields: DtsField[];
  /** `[key: string]: T` members. */
  index?: TypeExpr;
}

export interface DtsDeclarations {
  interfaces: Map<string, DtsInterface>;
  /** String enums: `declare enum X { A = "A" }` and `declare const X: { readonly A: "A" }`. */
  enums: Map<string, string[]>;
  aliases: Map<string, TypeExpr>;
}

type Token = { t: 'id' | 'str' | 'num' | 'punct'; v: string; doc?: string };

const PUNCT2 = new Set(['=>', '?.', '...']);

/** Split declaration text into tokens; a JSDoc comment rides on the token after it. */
export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let doc: string | undefined;
  let i = 0;
  const n = text.length;
  const push = (t: Token['t'], v: string) => {
    out.push(doc === undefined ? { t, v } : { t, v, doc });
    doc = undefined;
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
    } else if (c === 47 /* / */ && text.charCodeAt(i + 1) === 47) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42 /* * */) {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? n : end;
      if (text.charCodeAt(i + 2) === 42 && text.charCodeAt(i + 3) !== 47) doc = text.slice(i + 3, stop);
      i = stop + 2;
    } else if (c === 34 || c === 39 || c === 96 /* " ' ` */) {
      let j = i + 1;
      let value = '';
      while (j < n && text.charCodeAt(j) !== c) {
        if (text.charCodeAt(j) === 92 /* \ */) {
          value += text[j + 1] ?? '';
          j += 2;
        } else value += text[j++];
      }
      i = j + 1;
      push('str', value);
    } else if (isIdStart(c)) {
      let j = i + 1;
      while (j < n && isIdPart(text.charCodeAt(j))) j++;
      push('id', text.slice(i, j));
      i = j;
    } else if (c >= 48 && c <= 57) {
      let j = i + 1;
      while (j < n && /[0-9.eExXa-fA-F_]/.test(text[j] ?? '')) j++;
      push('num', text.slice(i, j));
      i = j;
    } else {
      const three = text.slice(i, i + 3);
      const two = text.slice(i, i + 2);
      const v = PUNCT2.has(three) ? three : PUNCT2.has(two) ? two : text[i] ?? '';
      push('punct', v);
      i += v.length;
    }
  }
  return out;
}

function isIdStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36;
}

function isIdPart(c: number): boolean {
  return isIdStart(c) || (c >= 48 && c <= 57);
}

/** Turn a JSDoc body into a description: drop the leading stars and the @tags. */
export function cleanDoc(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const lines: string[] = [];
  for (const line of raw.split('\n')) {
    const text = line.replace(/^\s*\*?\s?/, '').replace(/\s+$/, '');
    if (/^@[a-zA-Z]+/.test(text)) break;
    lines.push(text);
  }
  const joined = lines.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return joined || undefined;
}

class ParseError extends Error {}

const STATEMENT_STARTS = new Set([
  'declare', 'interface', 'export', 'type', 'const', 'function', 'class', 'enum', 'let', 'var', 'import', 'namespace', 'module', 'abstract',
]);

class Parser {
  private i = 0;
  readonly result: DtsDeclarations = { interfaces: new Map(), enums: new Map(), aliases: new Map() };

  constructor(private readonly toks: Token[]) {}

  private peek(k = 0): Token | undefined {
    return this.toks[this.i + k];
  }

  private is(v: string, k = 0): boolean {
    const tok = this.toks[this.i + k];
    return tok !== undefined && tok.v === v && tok.t !== 'str';
  }

  private next(): Token {
    const tok = this.toks[this.i++];
    if (!tok) throw new ParseError('unexpected end');
    return tok;
  }

  private expect(v: string): void {
    if (this.next().v !== v) throw new ParseError(`expected ${v}`);
  }

  private ident(): string {
    const tok = this.next();
    if (tok.t !== 'id') throw new ParseError('expected a name');
    return tok.v;
  }

  parse(): DtsDeclarations {
    while (this.i < this.toks.length) {
      const start = this.i;
      const doc = this.peek()?.doc;
      try {
        this.statement(doc);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.i = start;
        this.skipStatement();
      }
      if (this.i === start) this.i++;
    }
    return this.result;
  }

  private statement(doc: string | undefined): void {
    while (this.is('export') || this.is('declare') || this.is('default')) this.i++;
    if (this.is('interface')) {
      this.i++;
      this.interfaceDecl(doc);
    } else if (this.is('enum') || (this.is('const') && this.is('enum', 1))) {
      if (this.is('const')) this.i++;
      this.i++;
      this.enumDecl();
    } else if (this.is('const') && this.peek(1)?.t === 'id' && this.is(':', 2) && this.is('{', 3)) {
      this.i++;
      this.constEnumDecl();
    } else if (this.is('type') && this.peek(1)?.t === 'id') {
      this.i++;
      this.aliasDecl();
    } else {
      this.skipStatement();
    }
  }

  private interfaceDecl(doc: string | undefined): void {
    const name = this.ident();
    if (this.is('<')) this.skipAngles();
    const ext: string[] = [];
    if (this.is('extends')) {
      this.i++;
      for (;;) {
        ext.push(this.ident());
        if (this.is('<')) this.skipAngles();
        if (!this.is(',')) break;
        this.i++;
      }
    }
    this.expect('{');
    const iface: DtsInterface = { name, doc: cleanDoc(doc), extends: ext, fields: [] };
    this.members(iface);
    this.result.interfaces.set(name, iface);
  }

  /** Members up to and including the closing brace. */
  private members(into: { fields: DtsField[]; index?: TypeExpr }): void {
    while (!this.is('}')) {
      if (this.is(';') || this.is(',')) {
        this.i++;
        continue;
      }
      const start = this.i;
      try {
        this.member(into);
      } catch (e) {
        if (!(e instanceof ParseError)) throw e;
        this.i = start;
        this.skipMember();
      }
    }
    this.expect('}');
  }

  private member(into: { fields: DtsField[]; index?: TypeExpr }): void {
    const doc = this.peek()?.doc;
    if (this.is('readonly') && !this.is(':', 1) && !this.is('?', 1)) this.i++;
    if (this.is('[')) {
      // [key: string]: T
      this.i++;
      this.ident();
      this.expect(':');
      this.type();
      this.expect(']');
      this.expect(':');
      into.index = this.type();
      return;
    }
    const tok = this.next();
    if (tok.t !== 'id' && tok.t !== 'str') throw new ParseError('expected a member name');
    const optional = this.is('?');
    if (optional) this.i++;
    if (!this.is(':')) throw new ParseError('not a property');
    this.i++;
    into.fields.push({ name: tok.v, optional, type: this.type(), doc: cleanDoc(doc) });
  }

  private enumDecl(): void {
    const name = this.ident();
    this.expect('{');
    const values: string[] = [];
    while (!this.is('}')) {
      this.next();
      if (this.is('=')) {
        this.i++;
        const value = this.next();
        if (value.t === 'str') values.push(value.v);
      }
      if (this.is(',')) this.i++;
    }
    this.i++;
    this.result.enums.set(name, values);
  }

  /** `const X: { readonly A: "A"; … };` — the generator's other way of writing an enum. */
  private constEnumDecl(): void {
    const name = this.ident();
    this.expect(':');
    this.expect('{');
    const values: string[] = [];
    while (!this.is('}')) {
      if (this.is('readonly')) this.i++;
      this.next();
      this.expect(':');
      const value = this.next();
      if (value.t !== 'str') throw new ParseError('not a string enum');
      values.push(value.v);
      if (this.is(';') || this.is(',')) this.i++;
    }
    this.i++;
    this.result.enums.set(name, values);
  }

  private aliasDecl(): void {
    const name = this.ident();
    if (this.is('<')) this.skipAngles();
    this.expect('=');
    const type = this.type();
    if (!this.is(';')) throw new ParseError('alias not understood');
    this.result.aliases.set(name, type);
  }

  type(): TypeExpr {
    if (this.is('|')) this.i++;
    const first = this.postfix();
    if (!this.is('|')) return first;
    const of = [first];
    while (this.is('|')) {
      this.i++;
      of.push(this.postfix());
    }
    if (of.every((t) => t.kind === 'literals')) {
      return { kind: 'literals', values: of.flatMap((t) => (t.kind === 'literals' ? t.values : [])) };
    }
    return { kind: 'union', of };
  }

  private postfix(): TypeExpr {
    let type = this.primary();
    while (this.is('[') && this.is(']', 1)) {
      this.i += 2;
      type = { kind: 'array', of: type };
    }
    return type;
  }

  private primary(): TypeExpr {
    const tok = this.next();
    if (tok.t === 'str') return { kind: 'literals', values: [tok.v] };
    if (tok.t === 'num') return { kind: 'literals', values: [Number(tok.v)] };
    if (tok.t === 'id') {
      if (tok.v === 'true' || tok.v === 'false') return { kind: 'literals', values: [tok.v === 'true'] };
      if (tok.v === 'typeof' || tok.v === 'keyof' || tok.v === 'infer') throw new ParseError('type operator');
      let name = tok.v;
      while (this.is('.')) {
        this.i++;
        name += `.${this.ident()}`;
      }
      if (!this.is('<')) return { kind: 'name', name };
      this.i++;
      const args = [this.type()];
      while (this.is(',')) {
        this.i++;
        args.push(this.type());
      }
      this.expect('>');
      if ((name === 'Array' || name === 'ReadonlyArray' || name === 'Set') && args[0]) return { kind: 'array', of: args[0] };
      if (name === 'Record' && args[1]) return { kind: 'map', of: args[1] };
      return { kind: 'unknown' };
    }
    if (tok.v === '(') {
      const inner = this.type();
      this.expect(')');
      if (this.is('=>')) throw new ParseError('function type');
      return inner;
    }
    if (tok.v === '{') {
      const obj: { fields: DtsField[]; index?: TypeExpr } = { fields: [] };
      this.members(obj);
      if (obj.index && obj.fields.length === 0) return { kind: 'map', of: obj.index };
      return { kind: 'object', fields: obj.fields };
    }
    throw new ParseError(`unexpected ${tok.v}`);
  }

  private skipAngles(): void {
    let depth = 0;
    do {
      const v = this.next().v;
      if (v === '<') depth++;
      else if (v === '>') depth--;
    } while (depth > 0);
  }

  /** Skip one member of an interface body, stopping before its closing brace. */
  private skipMember(): void {
    let depth = 0;
    for (;;) {
      const tok = this.peek();
      if (!tok) return;
      if (depth === 0 && (tok.v === ';' || tok.v === ',') && tok.t === 'punct') {
        this.i++;
        return;
      }
      if (depth === 0 && tok.v === '}' && tok.t === 'punct') return;
      if (tok.t === 'punct' && '([{'.includes(tok.v)) depth++;
      if (tok.t === 'punct' && ')]}'.includes(tok.v)) depth--;
      this.i++;
    }
  }

  /** Skip a statement Kura does not read: up to `;` or a block's closing brace. */
  private skipStatement(): void {
    let depth = 0;
    while (this.i < this.toks.length) {
      const tok = this.next();
      if (tok.t !== 'punct') continue;
      if ('([{'.includes(tok.v)) depth++;
      else if (')]}'.includes(tok.v)) {
        depth--;
        if (depth <= 0 && tok.v === '}') {
          const after = this.peek();
          if (!after || after.doc !== undefined || (after.t === 'id' && STATEMENT_STARTS.has(after.v))) return;
        }
      } else if (tok.v === ';' && depth <= 0) return;
    }
  }
}

/** Read the interfaces, enums and aliases of a declaration file. */
export function parseDeclarations(text: string): DtsDeclarations {
  return new Parser(tokenize(text)).parse();
}
