import Table from 'cli-table3';
import type { Doc, Section } from './report-doc.js';
import { BORDERLESS } from './rows.js';

export interface TextOptions {
  color: boolean;
}

const COLORS = { error: '\x1b[31m', warn: '\x1b[33m', info: '\x1b[36m', bold: '\x1b[1m', reset: '\x1b[0m' };

/** The report for a terminal: aligned, human units, colour only when asked (a TTY without NO_COLOR). */
export function renderText(doc: Doc, options: TextOptions): string {
  const paint = (code: string, text: string) => (options.color ? `${code}${text}${COLORS.reset}` : text);
  const out = [paint(COLORS.bold, doc.title), ''];
  for (const section of doc.sections) out.push(paint(COLORS.bold, section.title), ...sectionLines(section, paint), '');
  return out.join('\n');
}

function sectionLines(section: Section, paint: (code: string, text: string) => string): string[] {
  const lines: string[] = [];
  if (section.facts) {
    const width = Math.max(...section.facts.map(([k]) => k.length));
    lines.push(...section.facts.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`));
  }
  if (section.items) {
    if (section.items.length === 0) lines.push('  nothing to report');
    for (const item of section.items) {
      lines.push(`  ${paint(COLORS[item.severity], item.severity.padEnd(5))}  ${item.id.padEnd(14)}  ${item.title}`);
      lines.push(`  ${' '.repeat(23)}${item.evidence}`, `  ${' '.repeat(23)}→ ${item.suggestion}`);
    }
  }
  if (section.table && section.table.rows.length > 0) {
    const { columns, rows, numeric } = section.table;
    const table = new Table({
      head: columns, chars: BORDERLESS, style: { head: [], border: [], compact: true, 'padding-left': 2, 'padding-right': 0 },
      colAligns: columns.map((_, i) => (numeric.includes(i) ? 'right' : 'left')),
    });
    table.push(...rows);
    lines.push(table.toString());
  }
  return lines;
}
