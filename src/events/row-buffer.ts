import { ChunkView } from './chunk-view.js';
import { ROW_BUFFER_WASM } from './row-buffer-wasm.js';
import { FIRST_FIELD_COLUMN, type FieldSpec, type Template, TemplateLearner } from './row-template.js';

const MODULE = new WebAssembly.Module(Buffer.from(ROW_BUFFER_WASM, 'base64'));
const OP_BYTES = 12;
const MAX_TEMPLATES = 8;
const MAX_TEMPLATE_OPS = 512;
const MAX_LITERAL_BYTES = 16 * 1024;
/** Longer lines (a task end is 1-3 KiB once slimmed) are left to DuckDB's JSON reader. */
const MAX_LINE_BYTES = 256 * 1024;
/** The literal compare reads up to 7 bytes past a line. */
const SLACK = 16;
const TABLE_SLOTS = 16 * 1024;
const ARENA_BYTES = 1024 * 1024;
const PAGE = 64 * 1024;

interface WasmExports {
  memory: WebAssembly.Memory;
  layout(columns: number, columnCount: number, validity: number, capacity: number, table: number, tableSlots: number, arena: number, arenaEnd: number, order: number): void;
  clearStrings(): void;
  stringCount(): number;
  match(op: number, start: number, end: number, row: number, slot: number, line: number): number;
}

/**
 * Rows of one kind of event line, read in WebAssembly (row-buffer.wat) into columns of 64-bit integers laid out
 * as DuckDB's vectors are (values, and a validity bitmap each): column 0 the line's app slot, 1 its line number,
 * then one per field (a boolean as 0 or 1, a string as its id in `strings()`, from 1). Lines are matched against
 * templates learned from earlier lines of the same shape; a line without one (`add` returns false) is for
 * DuckDB's JSON reader.
 */
export class RowBuffer {
  rows = 0;
  /** Bytes of the lines read into it: what staging them as JSON would have cost. */
  lineBytes = 0;
  private readonly wasm: WasmExports;
  private readonly bytes: Uint8Array;
  private readonly learner: TemplateLearner;
  private readonly lineAt: number;
  private readonly orderAt: number;
  private readonly arenaAt: number;
  private readonly columnsAt: number;
  private readonly validityAt: number;
  private readonly templateAt: number[] = [];
  private lastMatched = 0;
  private nextReplaced = 0;
  private readonly texts: string[] = [];
  private readonly chunk = new ChunkView();

  /** `capacity`: rows, a multiple of 64 (validity bitmaps are handed on in 64-bit words). */
  constructor(fields: readonly FieldSpec[], readonly capacity = 16 * 1024) {
    this.learner = new TemplateLearner(fields);
    this.wasm = new WebAssembly.Instance(MODULE).exports as unknown as WasmExports;
    const templatesBytes = MAX_TEMPLATES * (MAX_TEMPLATE_OPS * OP_BYTES + MAX_LITERAL_BYTES);
    this.lineAt = templatesBytes;
    const tableAt = this.lineAt + MAX_LINE_BYTES + SLACK;
    this.orderAt = tableAt + TABLE_SLOTS * 16;
    this.arenaAt = this.orderAt + (TABLE_SLOTS / 2 + 1) * 8;
    const columnCount = fields.length + FIRST_FIELD_COLUMN;
    this.columnsAt = align(this.arenaAt + ARENA_BYTES, 8);
    this.validityAt = this.columnsAt + columnCount * capacity * 8;
    const end = this.validityAt + (columnCount * capacity) / 8;
    this.wasm.memory.grow(Math.ceil(end / PAGE) - this.wasm.memory.buffer.byteLength / PAGE);
    this.bytes = new Uint8Array(this.wasm.memory.buffer);
    this.wasm.layout(this.columnsAt, columnCount, this.validityAt, capacity, tableAt, TABLE_SLOTS, this.arenaAt, this.arenaAt + ARENA_BYTES, this.orderAt);
  }

  get full(): boolean {
    return this.rows === this.capacity;
  }

  /**
   * Reads the JSON object made of `source`'s `ranges` ([from, to, ...], in order) as the next row, of app slot
   * `slot` and line `line`; false when it cannot (the buffer is full, or the line has no template).
   */
  add(slot: number, line: number, source: Uint8Array, ranges: readonly number[]): boolean {
    if (this.rows === this.capacity) return false;
    const bytes = this.chunk.of(source);
    let end = this.lineAt;
    for (let r = 0; r < ranges.length; r += 2) {
      const length = ranges[r + 1]! - ranges[r]!;
      if (end + length > this.lineAt + MAX_LINE_BYTES) return false;
      this.bytes.set(bytes.subarray(ranges[r]!, ranges[r + 1]!), end);
      end += length;
    }
    // Every loop of the matcher and the learner stops at this byte.
    this.bytes[end] = 0;
    if (!this.match(end, slot, line)) return false;
    this.rows++;
    this.lineBytes += end - this.lineAt;
    return true;
  }

  private match(end: number, slot: number, line: number): boolean {
    const { wasm, templateAt } = this;
    const first = this.lastMatched;
    if (first < templateAt.length && wasm.match(templateAt[first]!, this.lineAt, end, this.rows, slot, line)) return true;
    for (let t = 0; t < templateAt.length; t++) {
      if (t !== first && wasm.match(templateAt[t]!, this.lineAt, end, this.rows, slot, line)) {
        this.lastMatched = t;
        return true;
      }
    }
    const template = this.learner.learn(this.bytes.subarray(this.lineAt), end - this.lineAt);
    if (!template || !this.install(template)) return false;
    return wasm.match(templateAt[this.lastMatched]!, this.lineAt, end, this.rows, slot, line) === 1;
  }

  private install(template: Template): boolean {
    if (template.ops.length / 3 > MAX_TEMPLATE_OPS || template.literal.length > MAX_LITERAL_BYTES) return false;
    let index = this.templateAt.length;
    if (index === MAX_TEMPLATES) {
      index = this.nextReplaced;
      this.nextReplaced = (this.nextReplaced + 1) % MAX_TEMPLATES;
    }
    const opsAt = index * (MAX_TEMPLATE_OPS * OP_BYTES + MAX_LITERAL_BYTES);
    const literalAt = opsAt + MAX_TEMPLATE_OPS * OP_BYTES;
    this.bytes.set(template.literal, literalAt);
    const ops = new Int32Array(this.wasm.memory.buffer, opsAt, template.ops.length);
    ops.set(template.ops);
    for (let o = 0; o < ops.length; o += 3) if (ops[o] === 0) ops[o + 1]! += literalAt;
    this.templateAt[index] = opsAt;
    this.lastMatched = index;
    return true;
  }

  /** The 8-byte values of rows `from` to `from + count` of column `index` (a view, until the buffer is cleared). */
  values(index: number, from: number, count: number): Uint8Array {
    const at = this.columnsAt + (index * this.capacity + from) * 8;
    return this.bytes.subarray(at, at + count * 8);
  }

  /** The validity bits of those rows (`from` a multiple of 8): bit i of byte i / 8 is set when row `from + i` has a value. */
  validity(index: number, from: number, count: number): Uint8Array {
    const at = this.validityAt + (index * this.capacity + from) / 8;
    return this.bytes.subarray(at, at + Math.ceil(count / 8));
  }

  /** The strings by id - 1. */
  strings(): string[] {
    const count = this.wasm.stringCount();
    const view = Buffer.from(this.wasm.memory.buffer);
    const order = new Int32Array(this.wasm.memory.buffer, this.orderAt, (count + 1) * 2);
    // Only ASCII is interned, so latin1 is exact.
    for (let id = this.texts.length + 1; id <= count; id++) this.texts.push(view.toString('latin1', order[id * 2]!, order[id * 2]! + order[id * 2 + 1]!));
    return this.texts.slice(0, count);
  }

  /** Empties it for reuse (templates are kept: the next lines have the same shapes). */
  clear(): void {
    this.chunk.clear();
    this.rows = 0;
    this.lineBytes = 0;
    this.wasm.clearStrings();
    this.texts.length = 0;
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
