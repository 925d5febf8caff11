import type { Timeline } from '../../analyze/timeline.js';
import { formatDuration } from '../units.js';
import { chart, escapeHtml, labelSpacer, legend, n, rowsPlot, stageColor, WIDTH, yAxisLabel } from './svg.js';

/**
 * Per stage, the spread of its task durations as a box plot (min, quartiles, median, max): a long whisker is
 * skew. Drawn from every task, however many the other charts sample.
 */
export function taskDistributionChart(timeline: Timeline): string {
  const names = new Map(timeline.stages.map((s) => [s.stageId, s.name]));
  const stats = timeline.stageDurations;
  const maxMs = Math.max(1, ...stats.map((s) => s.max));
  const { rowH, box, axis, rowTop } = rowsPlot(stats.length, [4, 24], 80, WIDTH - 250, maxMs, 'task duration');
  const labelFits = labelSpacer();
  const rows = stats.map((s, i) => {
    const y = rowTop(i);
    const cy = y + rowH / 2;
    const half = Math.max(1, Math.min(8, rowH / 2 - 2));
    const [x0, x1, xm, x3, x4] = [s.min, s.q1, s.p50, s.q3, s.max].map(axis.x) as [number, number, number, number, number];
    const colour = stageColor(s.stageId);
    const tip = `stage ${s.stageId}: ${names.get(s.stageId) ?? ''}\n${s.count} tasks (${s.failed} failed, ${s.killed} killed): min ${formatDuration(s.min)}, p25 ${formatDuration(s.q1)}, median ${formatDuration(s.p50)}, p75 ${formatDuration(s.q3)}, max ${formatDuration(s.max)}`;
    const band = i % 2 === 0 ? `<rect class="band" x="0" y="${n(y)}" width="${WIDTH}" height="${n(rowH)}"/>` : '';
    const shapes =
      `<line class="whisker" x1="${n(x0)}" y1="${n(cy)}" x2="${n(x4)}" y2="${n(cy)}"/>` +
      `<line class="whisker" x1="${n(x0)}" y1="${n(cy - half / 2)}" x2="${n(x0)}" y2="${n(cy + half / 2)}"/>` +
      `<line class="whisker" x1="${n(x4)}" y1="${n(cy - half / 2)}" x2="${n(x4)}" y2="${n(cy + half / 2)}"/>` +
      `<rect class="box" x="${n(x1)}" y="${n(cy - half)}" width="${n(Math.max(1.5, x3 - x1))}" height="${n(2 * half)}" fill="${colour}"/>` +
      `<line class="median" x1="${n(xm)}" y1="${n(cy - half)}" x2="${n(xm)}" y2="${n(cy + half)}"/>` +
      `<circle class="max" cx="${n(x4)}" cy="${n(cy)}" r="${n(Math.min(3, half))}"/>`;
    let labels = '';
    if (labelFits(cy)) {
      const stats = `${s.count} tasks · p50 ${formatDuration(s.p50)} · max ${formatDuration(s.max)}${s.failed ? ` · ${s.failed} failed` : ''}${s.killed ? ` · ${s.killed} killed` : ''}`;
      labels =
        `<text class="tick" x="${box.left - 8}" y="${n(cy + 4)}" text-anchor="end">stage ${s.stageId}</text>` +
        `<text class="value${s.failed ? ' bad' : ''}" x="${box.right + 10}" y="${n(cy + 4)}">${escapeHtml(stats)}</text>`;
    }
    return `<g class="distribution" data-stage="${s.stageId}">${band}<title>${escapeHtml(tip)}</title>${shapes}${labels}</g>`;
  });
  const key = legend(box.left, box.bottom + 44, [
    { label: 'p25 to p75 (box), median (line)', swatch: `<rect x="0" y="0" width="13" height="11" fill="${stageColor(0)}" stroke="#333"/><line x1="6.5" y1="0" x2="6.5" y2="11" stroke="#111" stroke-width="2"/>` },
    { label: 'min to max (whiskers), max (dot)', swatch: `<line x1="0" y1="5.5" x2="13" y2="5.5" stroke="#333"/><circle cx="13" cy="5.5" r="3" fill="#333"/>` },
  ]);
  const drawn = `${stats.reduce((n, s) => n + s.count, 0)} tasks in ${stats.length} stages, all attempts and outcomes`;
  return chart(
    'task-distribution',
    'Task durations per stage',
    `${drawn}; a max far right of the box means a straggler (skew)`,
    box.bottom + 44 + key.height + 4,
    rows.join('') + axis.svg + yAxisLabel(box, 'stage', 8) + key.svg,
  );
}

