import type { Timeline } from '../../analyze/timeline.js';
import { truncate } from '../../text.js';
import { formatDuration } from '../units.js';
import { chart, escapeHtml, FAILED, labelSpacer, legend, n, rowsPlot, stageColor, swatch, WIDTH, yAxisLabel, type Box } from './svg.js';

type Stage = Timeline['stages'][number];

/** One row per stage attempt, a bar from submission to completion, in the order they started. */
export function stageGanttChart(timeline: Timeline, maxMs: number): string {
  const stages = [...timeline.stages].sort(
    (a, b) => (a.startMs ?? Infinity) - (b.startMs ?? Infinity) || a.stageId - b.stageId || a.attemptId - b.attemptId,
  );
  const { rowH, box, axis, rowTop } = rowsPlot(stages.length, [2, 18], 260, WIDTH - 28, maxMs, 'time since app start');
  const labelFits = labelSpacer();
  const rows = stages.map((s, i) => {
    const y = rowTop(i);
    const cy = y + rowH / 2;
    const band = i % 2 === 0 ? `<rect class="band" x="${box.left}" y="${n(y)}" width="${n(box.right - box.left)}" height="${n(rowH)}"/>` : '';
    let label = '';
    if (labelFits(cy)) {
      const id = s.attemptId ? `${s.stageId}.${s.attemptId}` : String(s.stageId);
      label = `<text class="tick" x="${box.left - 6}" y="${n(cy + 4)}" text-anchor="end">${escapeHtml(`${id}  ${truncate(s.name ?? '', 36)}`)}</text>`;
    }
    return `<g class="stage" data-stage="${s.stageId}.${s.attemptId}">${band}${label}${span(s, axis.x, y, rowH, maxMs, box)}</g>`;
  });
  const key = legend(box.left, box.bottom + 44, [
    { label: 'stage attempt (colour: stage id)', swatch: swatch(stageColor(0)) },
    { label: 'failed attempt', swatch: swatch('#ddd', `stroke="${FAILED}" stroke-width="2"`) },
    { label: 'never completed', swatch: swatch('#ddd', 'stroke="#333" stroke-dasharray="3 2" fill-opacity="0.4"') },
  ]);
  const failed = stages.filter((s) => s.status === 'failed').length;
  return chart(
    'stage-gantt',
    'Stages over time',
    `${stages.length} stage attempts (${failed} failed), from submission to completion; label: stage[.attempt] and name`,
    box.bottom + 44 + key.height + 4,
    axis.svg + yAxisLabel(box, 'stage attempt', 8) + rows.join('') + key.svg,
  );
}

function span(s: Stage, x: (ms: number) => number, y: number, h: number, maxMs: number, box: Box): string {
  if (s.startMs === null) return '';
  const open = s.endMs === null;
  const end = s.endMs ?? maxMs;
  const x0 = x(s.startMs);
  const width = Math.max(1.5, x(end) - x0);
  const inset = h >= 6 ? 2 : 0;
  const style = s.status === 'failed' ? ` stroke="${FAILED}" stroke-width="2"` : open ? ' stroke="#333" stroke-dasharray="3 2" fill-opacity="0.4"' : '';
  const took = open ? 'never completed' : `ran ${formatDuration(end - s.startMs)}`;
  const tip = `stage ${s.stageId} attempt ${s.attemptId} (${s.status}): ${s.name ?? ''}\nsubmitted ${formatDuration(s.startMs)} after app start, ${took}`;
  let text = '';
  if (h >= 10) {
    const label = open ? `${s.status}, no end` : `${formatDuration(end - s.startMs)}${s.status === 'failed' ? ' failed' : ''}`;
    // Right of the bar, else left of it, else inside its right end.
    const room = label.length * 6.2 + 6;
    const [tx, anchor] = x0 + width + room <= box.right ? [x0 + width + 4, 'start'] : x0 - room >= box.left ? [x0 - 4, 'end'] : [x0 + width - 4, 'end'];
    text = `<text class="value" x="${n(tx)}" y="${n(y + h / 2 + 4)}" text-anchor="${anchor}">${escapeHtml(label)}</text>`;
  }
  return (
    `<rect class="span" x="${n(x0)}" y="${n(y + inset)}" width="${n(width)}" height="${n(h - 2 * inset)}" fill="${stageColor(s.stageId)}"${style}>` +
    `<title>${escapeHtml(tip)}</title></rect>${text}`
  );
}
