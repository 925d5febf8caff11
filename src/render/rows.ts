import Table from 'cli-table3';
import { truncate } from '../text.js';

export type Cell = string | number | boolean | null | undefined | Date | unknown[];
export type Format = 'table' | 'json' | 'csv';
export const ROW_FORMATS: readonly Format[] = ['table', 'json', 'csv'];

export interface RowSet {
  columns: string[];
  rows: Record<string, unknown>[];
  /** Columns to right-align in tables (numbers, sizes, durations). */
  numeric?: ReadonlySet<string>;
}

/** cli-table3 without box drawing: columns two spaces apart, as terminal tables read best. */
export const BORDERLESS = {
  top: '', 'top-mid': '', 'top-left': '', 'top-right': '', bottom: '', 'bottom-mid': '', 'bottom-left': '', 'bottom-right': '',
  left: '', 'left-mid': '', mid: '', 'mid-mid': '', right: '', 'right-mid': '', middle: '  ',
};

export function renderRows(set: RowSet, format: Format): string {
  if (format === 'json') return JSON.stringify(set.rows.map((r) => jsonRow(set.columns, r)), null, 2) + '\n';
  if (format === 'csv') return [set.columns.map(csvCell).join(','), ...set.rows.map((r) => set.columns.map((c) => csvCell(r[c])).join(','))].join('\n') + '\n';
  return renderTable(set);
}

function renderTable(set: RowSet): string {
  const table = new Table({
    head: set.columns,
    style: { head: [], border: [], compact: true },
    colAligns: set.columns.map((c) => (set.numeric?.has(c) ? 'right' : 'left')),
    chars: BORDERLESS,
  });
  for (const row of set.rows) table.push(set.columns.map((c) => oneLine(textCell(row[c]))));
  return `${table.toString()}\n${set.rows.length} row${set.rows.length === 1 ? '' : 's'}\n`;
}

const MAX_CELL_CHARS = 120;

/** A table cell stays on one line (stack traces, plans): the full text is in --format json or csv. */
function oneLine(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ⏎ ');
  return truncate(flat, MAX_CELL_CHARS);
}

function jsonRow(columns: string[], row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(columns.map((c) => [c, row[c] instanceof Date ? (row[c] as Date).toISOString() : row[c] ?? null]));
}

export function textCell(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace('Z', '');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function csvCell(value: unknown): string {
  const text = textCell(value);
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}
