import { pushTo } from '../../collections.js';
import type { Timeline } from '../../analyze/timeline.js';
import { truncate } from '../../text.js';
import { formatDuration } from '../units.js';
import { byExecutorId, chart, escapeHtml, FAILED, labelSpacer, legend, n, PLOT_TOP, stageColor, stageLegend, swatch, timeAxisX, WIDTH, yAxisLabel, type Box } from './svg.js';

type Task = Timeline['tasks'][number];

/** Plot height the lanes share when there are many... */
const MAX_PLOT = 640;
/** ...and never taller than this. */
const MAX_TALL = 1600;

/**
 * One row per executor, one bar per task at its launch time, coloured by stage. An executor runs tasks side by side
 * (one per core), so its row holds as many lanes as it ever ran at once.
 */
export function executorTimelineChart(timeline: Timeline, maxMs: number, totalTasks: number): string {
  const byExecutor = new Map<string, Task[]>();
  for (const t of timeline.tasks) pushTo(byExecutor, t.executorId, t);
  const executors = [...byExecutor.keys()].sort(byExecutorId);
  const rows = executors.map((id) => ({ id, lanes: lanesOf(byExecutor.get(id)!) }));
  const laneCount = rows.reduce((sum, r) => sum + r.lanes.length, 0);
  // Lanes share MAX_PLOT px, keeping at least 1px each until that would pass MAX_TALL px.
  const laneH = Math.min(16, Math.max(MAX_PLOT / Math.max(laneCount, 1), Math.min(1, MAX_TALL / Math.max(laneCount, 1))));
  const gap = laneH >= 4 ? 4 : 1;
  const plotH = laneCount * laneH + rows.length * gap;
  const box: Box = { left: 110, top: PLOT_TOP, right: WIDTH - 28, bottom: PLOT_TOP + plotH };
  const axis = timeAxisX(box, maxMs, 'time since app start');
  const parts: string[] = [];
  let y = PLOT_TOP + gap / 2;
  const labelFits = labelSpacer();
  rows.forEach((row, i) => {
    const h = row.lanes.length * laneH;
    const bars = row.lanes.flatMap((lane, l) => lane.map((t) => bar(t, axis.x, y + l * laneH, laneH)));
    const band = i % 2 === 0 ? `<rect class="band" x="${box.left}" y="${n(y - gap / 2)}" width="${n(box.right - box.left)}" height="${n(h + gap)}"/>` : '';
    const cy = y + h / 2;
    const label = labelFits(cy) ? `<text class="tick" x="${box.left - 6}" y="${n(cy + 4)}" text-anchor="end">${escapeHtml(truncate(row.id, 16))}</text>` : '';
    parts.push(`<g class="executor" data-executor="${escapeHtml(row.id)}">${band}${label}${bars.join('')}</g>`);
    y += h + gap;
  });
  const stageIds = timeline.tasks.map((t) => t.stageId);
  const key = legend(box.left, box.bottom + 44, [
    ...stageLegend(stageIds),
    { label: 'failed task', swatch: swatch('#ddd', `stroke="${FAILED}" stroke-width="2"`) },
    { label: 'killed task', swatch: swatch('#ddd', 'stroke="#333" stroke-dasharray="2 1.5" fill-opacity="0.5"') },
  ]);
  const sampled = totalTasks > timeline.tasks.length ? `, the ${timeline.tasks.length} longest of ${totalTasks} tasks drawn` : '';
  const subtitle = `${executors.length} executors, ${timeline.tasks.length} tasks; one bar per task, one lane per concurrent task${sampled}`;
  return chart(
    'executor-timeline',
    'Executor timeline',
    subtitle,
    box.bottom + 44 + key.height + 4,
    axis.svg + yAxisLabel(box, 'executor') + parts.join('') + key.svg,
  );
}

function bar(t: Task, x: (ms: number) => number, y: number, h: number): string {
  const x0 = x(t.startMs);
  const width = Math.max(1, x(t.startMs + t.durationMs) - x0);
  const inset = h >= 4 ? 0.5 : 0;
  const status = t.status === 'failed' ? ` stroke="${FAILED}" stroke-width="2"` : t.status === 'killed' ? ' stroke="#333" stroke-dasharray="2 1.5" fill-opacity="0.5"' : width >= 3 && h >= 6 ? ' stroke="#fff" stroke-width="0.6"' : '';
  const tip = `stage ${t.stageId} on executor ${t.executorId}: ${t.status}, started ${formatDuration(t.startMs)} after app start, ran ${formatDuration(t.durationMs)}`;
  return (
    `<rect class="task ${escapeHtml(t.status)}" x="${n(x0)}" y="${n(y + inset)}" width="${n(width)}" height="${n(Math.max(h - 2 * inset, 0.8))}" fill="${stageColor(t.stageId)}"${status}>` +
    `<title>${escapeHtml(tip)}</title></rect>`
  );
}

/** Greedy interval colouring: each task goes to the first lane free at its launch. */
function lanesOf(tasks: Task[]): Task[][] {
  const lanes: Task[][] = [];
  const ends: number[] = [];
  for (const t of [...tasks].sort((a, b) => a.startMs - b.startMs || b.durationMs - a.durationMs)) {
    let lane = ends.findIndex((end) => end <= t.startMs);
    if (lane < 0) {
      lane = lanes.length;
      lanes.push([]);
      ends.push(0);
    }
    lanes[lane]!.push(t);
    ends[lane] = t.startMs + t.durationMs;
  }
  return lanes;
}
