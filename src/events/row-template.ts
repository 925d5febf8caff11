import { BACKSLASH, CLOSE_ARRAY, CLOSE_OBJECT, COLON, COMMA, MINUS, NINE, OPEN_ARRAY, OPEN_OBJECT, QUOTE, ZERO } from './json-bytes.js';

/**
 * A value a row buffer takes from a line: where it sits (keys from the line's top) and what it must be: a string,
 * a boolean, or an integer of at most `digits` digits (a longer one is left to DuckDB, which knows its range).
 */
export interface FieldSpec {
  path: readonly string[];
  kind: 'string' | 'boolean' | 'integer';
  digits?: number;
}

/** The ops of row-buffer.wat. */
export const enum Op {
  Literal = 0,
  Integer = 1,
  String = 2,
  SkipNumber = 3,
  SkipString = 4,
  Boolean = 5,
  End = 6,
}

/**
 * How a line of one shape is read: ops as [kind, a, b] triples (see row-buffer.wat), where a Literal's `a` is
 * an offset into `literal`, and value ops name their column (field index + FIRST_FIELD_COLUMN).
 */
export interface Template {
  ops: number[];
  literal: Uint8Array;
}

/** Columns 0 and 1 of a row buffer are the line's app slot and line number. */
export const FIRST_FIELD_COLUMN = 2;

/** Every integer of 18 digits fits in 64 bits. */
const MAX_DIGITS = 18;

interface KeyNode {
  children: Map<string, KeyNode>;
  field: number;
}

/**
 * Learns a template from one line: walks it as strict JSON (no spaces, ASCII, no `\u` escapes, no key twice)
 * and records where each value is. A line it refuses, or whose fields do not have the types of their columns
 * as plain values, gets no template: it goes to DuckDB's JSON reader, which decides what it holds.
 */
export class TemplateLearner {
  private readonly root: KeyNode = { children: new Map(), field: -1 };
  private spans: number[] = [];

  constructor(private readonly fields: readonly FieldSpec[]) {
    fields.forEach((field, index) => {
      let node = this.root;
      for (const key of field.path) {
        let child = node.children.get(key);
        if (!child) node.children.set(key, (child = { children: new Map(), field: -1 }));
        node = child;
      }
      node.field = index;
    });
  }

  /** The template of `line[0, end)`, which is followed by a 0 byte; undefined when it has none. */
  learn(line: Uint8Array, end: number): Template | undefined {
    this.spans = [];
    if (line[0] !== OPEN_OBJECT || this.object(line, 0, this.root) !== end) return undefined;
    const ops: number[] = [];
    const literal: number[] = [];
    let from = 0;
    for (let s = 0; s < this.spans.length; s += 5) {
      const [start, stop, kind, a, b] = this.spans.slice(s, s + 5) as [number, number, Op, number, number];
      if (start > from) ops.push(Op.Literal, literal.length, start - from);
      for (let i = from; i < start; i++) literal.push(line[i]!);
      ops.push(kind, a, b);
      from = stop;
    }
    if (end > from) ops.push(Op.Literal, literal.length, end - from);
    for (let i = from; i < end; i++) literal.push(line[i]!);
    ops.push(Op.End, 0, 0);
    return { ops, literal: Uint8Array.from(literal) };
  }

  /** The object at `at`; the offset after it, or -1. `node` is undefined inside an object no field reads. */
  private object(b: Uint8Array, at: number, node: KeyNode | undefined): number {
    let i = at + 1;
    if (b[i] === CLOSE_OBJECT) return i + 1;
    const keys = new Set<string>();
    for (;;) {
      if (b[i] !== QUOTE) return -1;
      const close = stringEnd(b, i + 1);
      if (close === -1 || hasEscape(b, i + 1, close) || b[close + 1] !== COLON) return -1;
      const key = Buffer.from(b.buffer, b.byteOffset + i + 1, close - i - 1).toString('latin1');
      // A key given twice: DuckDB keeps one of them, and which is not for a template to guess.
      if (keys.has(key)) return -1;
      keys.add(key);
      i = this.value(b, close + 2, node?.children.get(key));
      if (i === -1) return -1;
      if (b[i] === COMMA) i++;
      else return b[i] === CLOSE_OBJECT ? i + 1 : -1;
    }
  }

  private array(b: Uint8Array, at: number): number {
    let i = at + 1;
    if (b[i] === CLOSE_ARRAY) return i + 1;
    for (;;) {
      i = this.value(b, i, undefined);
      if (i === -1) return -1;
      if (b[i] === COMMA) i++;
      else return b[i] === CLOSE_ARRAY ? i + 1 : -1;
    }
  }

  private value(b: Uint8Array, i: number, node: KeyNode | undefined): number {
    const c = b[i]!;
    const field = node?.field ?? -1;
    if (field !== -1) return this.fieldValue(b, i, field);
    if (c === OPEN_OBJECT) return this.object(b, i, node);
    // An object the columns read from (Task Metrics) given as anything but an object or null: DuckDB's call.
    if (node !== undefined && c !== 0x6e) return -1;
    if (c === OPEN_ARRAY) return this.array(b, i);
    if (c === QUOTE) {
      const close = stringEnd(b, i + 1);
      if (close === -1) return -1;
      // An escaped value no column reads stays literal: lines with other values will not match this template.
      if (!hasEscape(b, i + 1, close)) this.spans.push(i, close + 1, Op.SkipString, 0, 0);
      return close + 1;
    }
    if (c === MINUS || (c >= ZERO && c <= NINE)) {
      const stop = integerEnd(b, i);
      if (stop !== -1 && !isFractionOrExponent(b[stop])) {
        this.spans.push(i, stop, Op.SkipNumber, 0, 0);
        return stop;
      }
      return numberEnd(b, i);
    }
    return literalEnd(b, i);
  }

  /** A value a column reads: it must be null or of the column's kind, as DuckDB would read it unchanged. */
  private fieldValue(b: Uint8Array, i: number, field: number): number {
    if (b[i] === 0x6e) return literalEnd(b, i); // null: left NULL, as a field the line does not have
    const spec = this.fields[field]!;
    let stop: number;
    let op: Op;
    let maxDigits = 0;
    if (spec.kind === 'string') {
      const close = b[i] === QUOTE ? stringEnd(b, i + 1) : -1;
      if (close === -1 || hasEscape(b, i + 1, close)) return -1;
      stop = close + 1;
      op = Op.String;
    } else if (spec.kind === 'boolean') {
      stop = b[i] === 0x74 || b[i] === 0x66 ? literalEnd(b, i) : -1;
      op = Op.Boolean;
    } else {
      maxDigits = Math.min(spec.digits ?? MAX_DIGITS, MAX_DIGITS);
      stop = integerEnd(b, i);
      const digits = stop - i - (b[i] === MINUS ? 1 : 0);
      if (stop === -1 || digits > maxDigits || isFractionOrExponent(b[stop])) return -1;
      op = Op.Integer;
    }
    if (stop === -1) return -1;
    this.spans.push(i, stop, op, field + FIRST_FIELD_COLUMN, maxDigits);
    return stop;
  }
}

function isFractionOrExponent(c: number | undefined): boolean {
  return c === 0x2e || c === 0x65 || c === 0x45;
}

/** -?(0|[1-9][0-9]*): the offset after it, or -1. */
function integerEnd(b: Uint8Array, at: number): number {
  let i = at;
  if (b[i] === MINUS) i++;
  const first = i;
  while (b[i]! >= ZERO && b[i]! <= NINE) i++;
  if (i === first || (b[first] === ZERO && i - first > 1)) return -1;
  return i;
}

/** JSON's number grammar: an integer, then maybe a fraction and an exponent. */
function numberEnd(b: Uint8Array, at: number): number {
  let i = integerEnd(b, at);
  if (i === -1) return -1;
  if (b[i] === 0x2e) {
    const from = ++i;
    while (b[i]! >= ZERO && b[i]! <= NINE) i++;
    if (i === from) return -1;
  }
  if (b[i] === 0x65 || b[i] === 0x45) {
    i++;
    if (b[i] === 0x2b || b[i] === MINUS) i++;
    const from = i;
    while (b[i]! >= ZERO && b[i]! <= NINE) i++;
    if (i === from) return -1;
  }
  return i;
}

function literalEnd(b: Uint8Array, i: number): number {
  const c = b[i];
  if (c === 0x74) return b[i + 1] === 0x72 && b[i + 2] === 0x75 && b[i + 3] === 0x65 ? i + 4 : -1;
  if (c === 0x66) return b[i + 1] === 0x61 && b[i + 2] === 0x6c && b[i + 3] === 0x73 && b[i + 4] === 0x65 ? i + 5 : -1;
  if (c === 0x6e) return b[i + 1] === 0x75 && b[i + 2] === 0x6c && b[i + 3] === 0x6c ? i + 4 : -1;
  return -1;
}

/**
 * The closing quote of a string, or -1 for what DuckDB might read differently: a `\u` escape (lone
 * surrogates), a control character, a byte outside ASCII (DuckDB checks UTF-8), or no closing quote.
 */
function stringEnd(b: Uint8Array, i: number): number {
  for (let c = b[i]!; c !== QUOTE; c = b[++i]!) {
    if (c === BACKSLASH) {
      const e = b[++i];
      if (!(e === QUOTE || e === BACKSLASH || e === 0x2f || e === 0x62 || e === 0x66 || e === 0x6e || e === 0x72 || e === 0x74)) return -1;
    } else if (c < 0x20 || c >= 0x80) return -1;
  }
  return i;
}

function hasEscape(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] === BACKSLASH) return true;
  return false;
}
