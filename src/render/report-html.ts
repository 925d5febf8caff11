import type { Report } from '../analyze/report.js';
import { executorTimelineChart } from './html/executor-timeline.js';
import { STYLE } from './html/style.js';
import { escapeHtml } from './html/svg.js';
import { stageGanttChart } from './html/stage-gantt.js';
import { taskDistributionChart } from './html/task-distribution.js';
import { whatIfChart } from './html/what-if-chart.js';
import { reportDoc, type Section } from './report-doc.js';
import { formatDuration, formatTime } from './units.js';

export { escapeHtml } from './html/svg.js';

/** Sections shown side by side at the top of the page. */
const OVERVIEW: ReadonlySet<Section['id']> = new Set(['summary', 'time']);

/**
 * The report as one self-contained HTML page: inline CSS, charts as inline SVG drawn here, no script and nothing
 * fetched (a CSP forbids both). Pure: the same report always gives the same page.
 */
export function renderHtml(report: Report): string {
  const doc = reportDoc(report);
  const body = doc.sections.map((section) => {
    if (OVERVIEW.has(section.id)) return null;
    if (section.id === 'what-if') return whatIfSection(section, report);
    if (section.id === 'stages') return sectionHtml(section) + timelineSection(report);
    return sectionHtml(section);
  });
  const overview = doc.sections.filter((s) => OVERVIEW.has(s.id)).map(sectionHtml);
  const title = report.app.name ?? report.app.key;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(`sparkopt report: ${title}`)}</title>`,
    `<style>${STYLE}</style>`,
    '</head><body><main>',
    header(report),
    `<div class="overview">${overview.join('')}</div>`,
    ...body.filter((b): b is string => b !== null),
    '<footer>Made by sparkopt from the Spark event log alone. Times in UTC; durations are wall-clock unless said otherwise. Hover a bar or point for its details.</footer>',
    '</main></body></html>',
    '',
  ].join('\n');
}

function header(r: Report): string {
  const status = r.app.completed ? '<span class="badge ok">completed</span>' : '<span class="badge warn">incomplete</span>';
  const facts: [string, string][] = [
    ['app', r.app.key],
    ['Spark', r.app.sparkVersion ?? 'unknown'],
    ['duration', formatDuration(r.app.durationMs)],
    ['started', r.app.startTime ? `${formatTime(r.app.startTime)} UTC` : ''],
    ['user', r.app.user ?? ''],
  ];
  const line = facts
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `<span class="fact"><span class="k">${escapeHtml(k)}</span> ${escapeHtml(v)}</span>`)
    .join('');
  return `<header><h1>${escapeHtml(r.app.name ?? r.app.key)}</h1><p class="meta">${status}${line}</p></header>`;
}

function sectionHtml(section: Section): string {
  const parts = [`<section><h2>${escapeHtml(section.title)}</h2>`];
  if (section.facts) parts.push(factsTable(section.facts));
  if (section.items) parts.push(findings(section.items));
  if (section.table) parts.push(dataTable(section.table));
  parts.push('</section>');
  return parts.join('');
}

function factsTable(facts: [string, string][]): string {
  const rows = facts.map(([k, v]) => {
    const sub = k.startsWith('  ');
    return `<tr${sub ? ' class="sub"' : ''}><th>${escapeHtml(k.trim())}</th><td>${escapeHtml(v)}</td></tr>`;
  });
  return `<table class="facts">${rows.join('')}</table>`;
}

function dataTable(table: NonNullable<Section['table']>): string {
  if (table.rows.length === 0) return '<p class="note">Nothing to list.</p>';
  const cls = (i: number) => (table.numeric.includes(i) ? ' class="num"' : '');
  const head = table.columns.map((c, i) => `<th${cls(i)}>${escapeHtml(c)}</th>`).join('');
  const rows = table.rows.map((row) => `<tr>${row.map((cell, i) => `<td${cls(i)}>${escapeHtml(cell)}</td>`).join('')}</tr>`);
  return `<div class="scroll"><table class="data"><thead><tr>${head}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

function findings(items: NonNullable<Section['items']>): string {
  if (items.length === 0) return '<p class="note">Nothing to report.</p>';
  const cards = items.map(
    (i) =>
      `<li class="finding ${escapeHtml(i.severity)}"><div class="finding-head"><span class="sev">${escapeHtml(i.severity)}</span>` +
      `<code>${escapeHtml(i.id)}</code> <strong>${escapeHtml(i.title)}</strong></div>` +
      `<div class="evidence">${escapeHtml(i.evidence)}</div><div class="suggestion">→ ${escapeHtml(i.suggestion)}</div></li>`,
  );
  return `<ul class="findings">${cards.join('')}</ul>`;
}

function timelineSection(r: Report): string {
  const t = r.timeline;
  const parts = ['<section><h2>Timeline</h2>'];
  if (!t) {
    parts.push('<p class="note" data-chart-missing="timeline">The executor timeline, stage chart and task-duration chart need per-task detail, which this report was built without.</p>');
  } else if (t.tasks.length === 0) {
    parts.push('<p class="note" data-chart-missing="timeline">No task ran in this app: nothing to chart over time.</p>');
    if (t.stages.length > 0) parts.push(figure(stageGanttChart(t, timelineEnd(r))));
  } else {
    const end = timelineEnd(r);
    parts.push(figure(executorTimelineChart(t, end, r.summary.tasks)), figure(stageGanttChart(t, end)), figure(taskDistributionChart(t)));
  }
  parts.push('</section>');
  return parts.join('');
}

/** The time axis covers the run, and anything the log shows past its recorded end. */
function timelineEnd(r: Report): number {
  const t = r.timeline!;
  const taskEnd = t.tasks.reduce((max, task) => Math.max(max, task.startMs + task.durationMs), 0);
  const stageEnd = t.stages.reduce((max, s) => Math.max(max, s.endMs ?? s.startMs ?? 0), 0);
  return Math.max(r.app.durationMs ?? 0, taskEnd, stageEnd, 1);
}

function whatIfSection(section: Section, r: Report): string {
  const parts = [`<section><h2>${escapeHtml(section.title)}</h2>`];
  if (section.facts) parts.push(factsTable(section.facts));
  parts.push(r.whatIf.scenarios.length > 0 ? figure(whatIfChart(r.whatIf)) : '<p class="note">No scenario to chart.</p>');
  if (section.table) parts.push(dataTable(section.table));
  parts.push('</section>');
  return parts.join('');
}

function figure(svg: string): string {
  return `<figure class="chart">${svg}</figure>`;
}
