import { formatDuration } from '../units.js';

/**
 * The one escape for everything from a log (names, ids, evidence) on its way into the page: text, attributes, and
 * SVG alike. Numbers formatted by units.ts need none, but passing them through is harmless.
 */
export function escapeHtml(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Every chart is this wide (CSS scales it down on narrow screens). */
export const WIDTH = 900;

/** Categorical colours for stages (no red: red marks failures). */
const PALETTE = ['#4e79a7', '#f28e2b', '#59a14f', '#76b7b2', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#8cd17d', '#a0cbe8', '#bab0ac', '#d4a6c8'];
export const FAILED = '#c62828';

export function stageColor(stageId: number): string {
  return PALETTE[((stageId % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}

/** A coordinate with one decimal: small output, crisp enough. */
export function n(x: number): string {
  return String(Math.round(x * 10) / 10);
}

/** The `<svg>` of one chart: `data-chart` names it for tests, the title is drawn inside so a saved SVG keeps it. */
export function chart(id: string, title: string, subtitle: string, height: number, body: string): string {
  return (
    `<svg data-chart="${id}" width="${WIDTH}" height="${n(height)}" viewBox="0 0 ${WIDTH} ${n(height)}" role="img" aria-label="${escapeHtml(title)}">` +
    `<text class="chart-title" x="0" y="18">${escapeHtml(title)}</text>` +
    `<text class="chart-subtitle" x="0" y="36">${escapeHtml(subtitle)}</text>` +
    body +
    '</svg>'
  );
}

const TIME_STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 2_000, 5_000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000,
  1_800_000, 3_600_000, 7_200_000, 10_800_000, 21_600_000, 43_200_000, 86_400_000,
];

/** Round tick values (0, 30s, 1m 00s, ...) from 0 to the first at or past maxMs, about `count` of them. */
export function timeTicks(maxMs: number, count = 8): number[] {
  const target = Math.max(maxMs, 1) / count;
  const step = TIME_STEPS.find((s) => s >= target) ?? Math.ceil(target / 86_400_000) * 86_400_000;
  const ticks = [0];
  while (ticks[ticks.length - 1]! < maxMs) ticks.push(ticks.length * step);
  return ticks;
}

/** A tick label: `0` alone needs no unit. */
export function tickDuration(ms: number): string {
  return ms === 0 ? '0' : formatDuration(ms);
}

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** A horizontal time axis under the plot, with vertical grid lines, labelled `label`. */
export function timeAxisX(box: Box, maxMs: number, label: string): { x: (ms: number) => number; svg: string } {
  const ticks = timeTicks(maxMs);
  const domain = Math.max(ticks[ticks.length - 1]!, 1);
  const x = (ms: number) => box.left + (Math.max(0, ms) / domain) * (box.right - box.left);
  const parts = ticks.map(
    (t) =>
      `<line class="grid" x1="${n(x(t))}" y1="${n(box.top)}" x2="${n(x(t))}" y2="${n(box.bottom)}"/>` +
      `<text class="tick" x="${n(x(t))}" y="${n(box.bottom + 14)}" text-anchor="middle">${tickDuration(t)}</text>`,
  );
  parts.push(`<line class="axis" x1="${n(box.left)}" y1="${n(box.bottom)}" x2="${n(box.right)}" y2="${n(box.bottom)}"/>`);
  parts.push(`<text class="axis-label" x="${n((box.left + box.right) / 2)}" y="${n(box.bottom + 32)}" text-anchor="middle">${escapeHtml(label)}</text>`);
  return { x, svg: parts.join('') };
}

/** Where a chart's plot starts, below its title and subtitle. */
export const PLOT_TOP = 62;
/** Rows of a row chart share this many pixels (within their own bounds). */
const ROWS_PLOT_PX = 720;

/**
 * The plot of a chart with one row per item under a time axis: rows share 720 px, each `rowPx` [min, max] high;
 * row `i` starts at `rowTop(i)`.
 */
export function rowsPlot(count: number, rowPx: [number, number], left: number, right: number, maxMs: number, axisLabel: string) {
  const rowH = Math.max(rowPx[0], Math.min(rowPx[1], ROWS_PLOT_PX / Math.max(count, 1)));
  const box: Box = { left, top: PLOT_TOP, right, bottom: PLOT_TOP + count * rowH };
  return { rowH, box, axis: timeAxisX(box, maxMs, axisLabel), rowTop: (i: number) => PLOT_TOP + i * rowH };
}

/**
 * Row labels of a dense chart, at least 12 px apart: says whether a label centred at `cy` fits below the last
 * one drawn (and if so, it becomes the last one).
 */
export function labelSpacer(): (cy: number) => boolean {
  let last = -Infinity;
  return (cy) => {
    if (cy - last < 12) return false;
    last = cy;
    return true;
  };
}

/** A vertical axis title, rotated left of the plot; above the tick labels when the plot is too short for it. */
export function yAxisLabel(box: Box, label: string, offset = 8): string {
  if (box.bottom - box.top < label.length * 7 + 12) {
    return `<text class="axis-label" x="${n(box.left - 6)}" y="${n(box.top - 6)}" text-anchor="end">${escapeHtml(label)}</text>`;
  }
  const cy = (box.top + box.bottom) / 2;
  return `<text class="axis-label" transform="translate(${n(offset)},${n(cy)}) rotate(-90)" text-anchor="middle">${escapeHtml(label)}</text>`;
}

/** A row of legend swatches from (x, y), wrapping at the chart width; returns the SVG and the height used. */
export function legend(x0: number, y0: number, items: { label: string; swatch: string }[]): { svg: string; height: number } {
  let x = x0;
  let y = y0;
  const parts: string[] = [];
  for (const item of items) {
    const width = 22 + item.label.length * 6.5 + 14;
    if (x + width > WIDTH && x > x0) {
      x = x0;
      y += 16;
    }
    parts.push(`<g transform="translate(${n(x)},${n(y)})">${item.swatch}<text class="legend" x="18" y="9">${escapeHtml(item.label)}</text></g>`);
    x += width;
  }
  return { svg: parts.join(''), height: y - y0 + 16 };
}

export function swatch(fill: string, extra = ''): string {
  return `<rect x="0" y="0" width="13" height="11" fill="${fill}" ${extra}/>`;
}

/** The stage colour legend: one swatch per stage when few, else a note that colours repeat. */
export function stageLegend(stageIds: number[]): { label: string; swatch: string }[] {
  const ids = [...new Set(stageIds)].sort((a, b) => a - b);
  if (ids.length <= 16) return ids.map((id) => ({ label: `stage ${id}`, swatch: swatch(stageColor(id)) }));
  return [{ label: `colour by stage id (${ids.length} stages, colours repeat)`, swatch: swatch(stageColor(0)) }];
}

/** Executor ids in a natural order: the driver first, then numerically (1, 2, 10), then the rest. */
export function byExecutorId(a: string, b: string): number {
  const rank = (id: string) => (id === 'driver' ? 0 : /^\d+$/.test(id) ? 1 : 2);
  return rank(a) - rank(b) || (rank(a) === 1 ? Number(a) - Number(b) : a.localeCompare(b));
}
