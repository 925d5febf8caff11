import type { Doc, Section } from './report-doc.js';

const ICON = { error: '🔴', warn: '🟠', info: '🔵' } as const;

/** The report for a PR comment or a CI summary (GitHub-flavoured Markdown). */
export function renderMarkdown(doc: Doc): string {
  const out = [`## ${cell(doc.title)}`, ''];
  for (const section of doc.sections) out.push(`### ${section.title}`, '', ...sectionLines(section), '');
  return out.join('\n');
}

function sectionLines(section: Section): string[] {
  const lines: string[] = [];
  if (section.facts) lines.push('| | |', '| --- | --- |', ...section.facts.map(([k, v]) => `| ${cell(k.trim())} | ${cell(v)} |`), '');
  if (section.items) {
    if (section.items.length === 0) lines.push('Nothing to report.');
    for (const i of section.items) lines.push(`- ${ICON[i.severity]} **${i.severity}** \`${i.id}\`: ${cell(i.title)}  \n  ${cell(i.evidence)}  \n  → ${cell(i.suggestion)}`);
  }
  if (section.table && section.table.rows.length > 0) {
    const { columns, rows, numeric } = section.table;
    lines.push(`| ${columns.join(' | ')} |`, `| ${columns.map((_, i) => (numeric.includes(i) ? '---:' : '---')).join(' | ')} |`);
    lines.push(...rows.map((r) => `| ${r.map(cell).join(' | ')} |`));
  }
  return lines;
}

/** Text from a log must not break the table or inject markup. */
function cell(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/[<>]/g, (c) => (c === '<' ? '&lt;' : '&gt;')).replace(/\s*\n\s*/g, ' ');
}
