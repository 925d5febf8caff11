import { ChunkView } from './chunk-view.js';
import { ROW_BUFFER_WASM } from './row-buffer-wasm.js';
import { FIRST_FIELD_COLUMN, type FieldSpec, type Template, TemplateLearner } from './row-template.js';

const MODULE = new WebAssembly.Module(Buffer.from(ROW_BUFFER_WASM, 'base64'));
const OP_BYTES = 12;
const MAX_TEMPLATES = 8;
/** Columns a template may fill (see `fills` in row-buffer.wat). */
const MAX_COLUMNS = 64;
const MAX_TEMPLATE_OPS = 512;
const MAX_LITERAL_BYTES = 16 * 1024;
/** Longer lines (a task end is 1-3 KiB once slimmed) are left to DuckDB's JSON reader. */
const MAX_LINE_BYTES = 256 * 1024;
/** The literal compare reads up to 7 bytes past a line. */
const SLACK = 16;
const TABLE_SLOTS = 16 * 1024;
const ARENA_BYTES = 1024 * 1024;
const PAGE = 64 * 1024;
/** Bytes 0-255 of the module's memory are its own (see row-buffer.wat). */
const MODULE_BYTES = 256;
/** Where `scan` leaves its results: i32s. */
const RESULTS_AT = 128;
/** Decoded bytes `scan` takes in at a time: a chunk, usually (the decoders hand on 256 KiB-1 MiB). */
const WINDOW_BYTES = 1024 * 1024;
/** The byte searches read up to 31 bytes past their end. */
const WINDOW_SLACK = 64;

/** Where `RowBuffer.scan` stopped: before `pos`, every line was read, the last one maybe by the caller. */
export interface ScanStop {
  pos: number;
  /** The number of the last line before `pos`. */
  lineNo: number;
  /** The number of the last non-empty line before `pos`, or 0 when there was none. */
  lastLine: number;
  /** Rows the scan took. */
  rows: number;
  /** Task starts it skipped: events no table reads. */
  skipped: number;
  /** A line it did not take, for the caller: `[lineStart, lineEnd)`, number `lineNo`. */
  line: boolean;
  lineStart: number;
  lineEnd: number;
}

interface WasmExports {
  memory: WebAssembly.Memory;
  layout(columns: number, columnCount: number, validity: number, capacity: number, table: number, tableSlots: number, arena: number, arenaEnd: number, order: number, lineAt: number, lineMax: number, rowTemplates: number, fills: number): void;
  clearStrings(): void;
  stringCount(): number;
  setTemplate(index: number, op: number): void;
  buildValidity(from: number, rows: number): void;
  matchAny(start: number, end: number, row: number, slot: number, line: number): number;
  scan(start: number, end: number, row: number, slot: number, lineBase: number, lineNo: number): number;
}

/**
 * Rows of task-end lines, read in WebAssembly (row-buffer.wat) into columns of 64-bit integers laid out as
 * DuckDB's vectors are (values, and a validity bitmap each): column 0 the line's app slot, 1 its line number,
 * then one per field (a boolean as 0 or 1, a string as its id in `strings()`, from 1). Lines are matched against
 * templates learned from earlier lines of the same shape: `scan` reads whole decoded chunks (framing and
 * slimming their task ends), `add` one slimmed line, and teaches a template when none fits; a line without one
 * (`add` returns false) is for DuckDB's JSON reader.
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
  private readonly windowAt: number;
  private readonly results: Int32Array;
  private templates = 0;
  /** Rows whose validity bits are built (see buildValidity in row-buffer.wat). */
  private validRows = 0;
  private nextReplaced = 0;
  /** The decoded bytes at `windowAt`: `windowSource[windowFrom, windowTo)`. */
  private windowSource?: Uint8Array;
  private windowFrom = 0;
  private windowTo = 0;
  /** The end of the bytes the window was loaded from. */
  private windowLimit = 0;
  private readonly texts: string[] = [];
  private readonly chunk = new ChunkView();
  /** What `scan` returns, reused. */
  private readonly stop: ScanStop = { pos: 0, lineNo: 0, lastLine: 0, rows: 0, skipped: 0, line: false, lineStart: 0, lineEnd: 0 };

  /** `capacity`: rows, a multiple of 64 (validity bitmaps are handed on in 64-bit words). */
  constructor(fields: readonly FieldSpec[], readonly capacity = 16 * 1024) {
    this.learner = new TemplateLearner(fields);
    this.wasm = new WebAssembly.Instance(MODULE).exports as unknown as WasmExports;
    const templatesBytes = MAX_TEMPLATES * (MAX_TEMPLATE_OPS * OP_BYTES + MAX_LITERAL_BYTES);
    this.lineAt = MODULE_BYTES + templatesBytes;
    this.windowAt = this.lineAt + MAX_LINE_BYTES + SLACK;
    const tableAt = this.windowAt + WINDOW_BYTES + WINDOW_SLACK;
    this.orderAt = tableAt + TABLE_SLOTS * 16;
    this.arenaAt = this.orderAt + (TABLE_SLOTS / 2 + 1) * 8;
    const columnCount = fields.length + FIRST_FIELD_COLUMN;
    this.columnsAt = align(this.arenaAt + ARENA_BYTES, 8);
    this.validityAt = this.columnsAt + columnCount * capacity * 8;
    if (columnCount > MAX_COLUMNS) throw new Error(`a row buffer holds at most ${MAX_COLUMNS} columns, not ${columnCount}`);
    const rowTemplatesAt = this.validityAt + (columnCount * capacity) / 8;
    const fillsAt = rowTemplatesAt + capacity + 8;
    const end = fillsAt + MAX_TEMPLATES * MAX_COLUMNS;
    this.wasm.memory.grow(Math.ceil(end / PAGE) - this.wasm.memory.buffer.byteLength / PAGE);
    this.bytes = new Uint8Array(this.wasm.memory.buffer);
    this.results = new Int32Array(this.wasm.memory.buffer, RESULTS_AT, 8);
    this.wasm.layout(this.columnsAt, columnCount, this.validityAt, capacity, tableAt, TABLE_SLOTS, this.arenaAt, this.arenaAt + ARENA_BYTES, this.orderAt, this.lineAt, MAX_LINE_BYTES, rowTemplatesAt, fillsAt);
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

  /**
   * Reads the newline-ended lines of `source[from, to)` (numbered from `lineNo + 1`; `lineBase` is added in the
   * rows), taking as rows of app slot `slot` the task ends its templates match and skipping task starts (no
   * table reads them), until a line it does not take (another event, or a task end for `add`), the last whole
   * line, or a full buffer. The result is reused by the next call.
   */
  scan(slot: number, lineBase: number, source: Uint8Array, from: number, to: number, lineNo: number): ScanStop {
    const stop = this.stop;
    stop.rows = 0;
    stop.skipped = 0;
    stop.lastLine = 0;
    stop.line = false;
    if (source !== this.windowSource || to !== this.windowLimit || from < this.windowFrom || from >= this.windowTo) this.load(source, from, to);
    for (;;) {
      const shift = this.windowAt - this.windowFrom;
      const code = this.wasm.scan(from + shift, this.windowTo + shift, this.rows, slot, lineBase, lineNo);
      const results = this.results;
      stop.rows += results[4]! - this.rows;
      this.rows = results[4]!;
      this.lineBytes += results[5]!;
      stop.skipped += results[7]!;
      stop.lastLine = Math.max(stop.lastLine, results[6]!);
      stop.pos = results[0]! - shift;
      stop.lineNo = results[3]!;
      if (code === 1) {
        stop.line = true;
        stop.lineStart = results[1]! - shift;
        stop.lineEnd = results[2]! - shift;
        return stop;
      }
      // Out of whole lines in the window: go on from the next one, unless that is all there is, or it is longer
      // than the window.
      if (this.full || this.windowTo === to || stop.pos === this.windowFrom) return stop;
      from = stop.pos;
      lineNo = stop.lineNo;
      this.load(source, from, to);
    }
  }

  private load(source: Uint8Array, from: number, to: number): void {
    const bytes = this.chunk.of(source);
    this.windowSource = source;
    this.windowFrom = from;
    this.windowLimit = to;
    this.windowTo = Math.min(to, from + WINDOW_BYTES);
    this.bytes.set(bytes.subarray(from, this.windowTo), this.windowAt);
  }

  private match(end: number, slot: number, line: number): boolean {
    const { wasm } = this;
    if (wasm.matchAny(this.lineAt, end, this.rows, slot, line)) return true;
    const template = this.learner.learn(this.bytes.subarray(this.lineAt), end - this.lineAt);
    if (!template || !this.install(template)) return false;
    return wasm.matchAny(this.lineAt, end, this.rows, slot, line) === 1;
  }

  private install(template: Template): boolean {
    if (template.ops.length / 3 > MAX_TEMPLATE_OPS || template.literal.length > MAX_LITERAL_BYTES) return false;
    let index = this.templates;
    if (index === MAX_TEMPLATES) {
      // The rows read so far know their template by its index: their bits are made before it means another.
      this.buildValidity();
      index = this.nextReplaced;
      this.nextReplaced = (this.nextReplaced + 1) % MAX_TEMPLATES;
    }
    const opsAt = MODULE_BYTES + index * (MAX_TEMPLATE_OPS * OP_BYTES + MAX_LITERAL_BYTES);
    const literalAt = opsAt + MAX_TEMPLATE_OPS * OP_BYTES;
    this.bytes.set(template.literal, literalAt);
    const ops = new Int32Array(this.wasm.memory.buffer, opsAt, template.ops.length);
    ops.set(template.ops);
    for (let o = 0; o < ops.length; o += 3) if (ops[o] === 0) ops[o + 1]! += literalAt;
    this.templates = Math.max(this.templates, index + 1);
    this.wasm.setTemplate(index, opsAt);
    return true;
  }

  /** The 8-byte values of rows `from` to `from + count` of column `index` (a view, until the buffer is cleared). */
  values(index: number, from: number, count: number): Uint8Array {
    const at = this.columnsAt + (index * this.capacity + from) * 8;
    return this.bytes.subarray(at, at + count * 8);
  }

  /** The validity bits of those rows (`from` a multiple of 8): bit i of byte i / 8 is set when row `from + i` has a value. */
  validity(index: number, from: number, count: number): Uint8Array {
    this.buildValidity();
    const at = this.validityAt + (index * this.capacity + from) / 8;
    return this.bytes.subarray(at, at + Math.ceil(count / 8));
  }

  private buildValidity(): void {
    if (this.validRows === this.rows) return;
    this.wasm.buildValidity(this.validRows, this.rows);
    this.validRows = this.rows;
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
    this.windowSource = undefined;
    this.rows = 0;
    this.validRows = 0;
    this.lineBytes = 0;
    this.wasm.clearStrings();
    this.texts.length = 0;
  }
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}
