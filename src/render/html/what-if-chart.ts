import type { WhatIf } from '../../analyze/what-if-types.js';
import { formatDuration } from '../units.js';
import { chart, escapeHtml, legend, n, PLOT_TOP, tickDuration, timeTicks, WIDTH, yAxisLabel, type Box } from './svg.js';

const LINE = '#4e79a7';
const OBSERVED = '#e15759';
const CRITICAL = '#59a14f';

/** Predicted wall time against executor count (log scale: the scenarios double), the observed run and the critical path. */
export function whatIfChart(w: WhatIf): string {
  const scenarios = [...w.scenarios].sort((a, b) => a.executors - b.executors);
  const counts = [...new Set([...scenarios.map((s) => s.executors), w.observed.executors].filter((e) => e > 0))];
  const lo = Math.min(...counts, 1);
  const hi = Math.max(...counts, 1);
  const [l2lo, l2hi] = lo === hi ? [Math.log2(lo) - 1, Math.log2(hi) + 1] : [Math.log2(lo), Math.log2(hi)];
  const box: Box = { left: 90, top: PLOT_TOP, right: WIDTH - 40, bottom: PLOT_TOP + 300 };
  const x = (e: number) => box.left + 24 + ((Math.log2(Math.max(e, lo)) - l2lo) / (l2hi - l2lo)) * (box.right - box.left - 48);
  const peak = Math.max(1, w.observed.actualMs, w.criticalPathMs, ...scenarios.map((s) => s.simulatedMs));
  const ticks = timeTicks(peak * 1.1, 6);
  const domain = ticks[ticks.length - 1]!;
  const y = (ms: number) => box.bottom - (ms / domain) * (box.bottom - box.top);
  const parts: string[] = [];
  for (const t of ticks) {
    parts.push(`<line class="grid" x1="${box.left}" y1="${n(y(t))}" x2="${box.right}" y2="${n(y(t))}"/>`);
    parts.push(`<text class="tick" x="${box.left - 6}" y="${n(y(t) + 4)}" text-anchor="end">${tickDuration(t)}</text>`);
  }
  for (const e of counts) {
    parts.push(`<line class="grid" x1="${n(x(e))}" y1="${box.top}" x2="${n(x(e))}" y2="${box.bottom}"/>`);
    parts.push(`<text class="tick" x="${n(x(e))}" y="${box.bottom + 14}" text-anchor="middle">${e}</text>`);
  }
  parts.push(`<line class="axis" x1="${box.left}" y1="${box.bottom}" x2="${box.right}" y2="${box.bottom}"/>`);
  parts.push(`<line class="axis" x1="${box.left}" y1="${box.top}" x2="${box.left}" y2="${box.bottom}"/>`);
  const cores = scenarios[0]?.cores ?? w.observed.cores;
  parts.push(
    `<text class="axis-label" x="${n((box.left + box.right) / 2)}" y="${box.bottom + 32}" text-anchor="middle">executors (${cores} cores each, log scale)</text>`,
    yAxisLabel(box, 'predicted wall time', 14),
  );
  // The critical path: no cluster size beats it.
  const cy = y(w.criticalPathMs);
  parts.push(
    `<line class="critical" x1="${box.left}" y1="${n(cy)}" x2="${box.right}" y2="${n(cy)}" stroke="${CRITICAL}"><title>critical path ${formatDuration(w.criticalPathMs)}</title></line>`,
    `<text class="value" x="${box.right - 4}" y="${n(cy + 15)}" text-anchor="end" fill="${CRITICAL}">critical path ${formatDuration(w.criticalPathMs)}</text>`,
  );
  if (scenarios.length > 0) {
    parts.push(`<polyline class="curve" fill="none" stroke="${LINE}" points="${scenarios.map((s) => `${n(x(s.executors))},${n(y(s.simulatedMs))}`).join(' ')}"/>`);
  }
  for (const s of scenarios) {
    // The observed run's diamond sits near its scenario: that scenario's label goes below the point.
    const below = s.executors === w.observed.executors;
    const tip = `${s.executors} executors x ${s.cores} cores: predicted ${formatDuration(s.simulatedMs)}, ${s.coreHours.toFixed(2)} core-hours, ${Math.round(s.utilisation * 100)} % utilisation`;
    parts.push(
      `<g class="scenario"><circle cx="${n(x(s.executors))}" cy="${n(y(s.simulatedMs))}" r="5" fill="${LINE}"/><title>${escapeHtml(tip)}</title>` +
        `<text class="value" x="${n(x(s.executors))}" y="${n(y(s.simulatedMs) + (below ? 19 : -10))}" text-anchor="middle">${formatDuration(s.simulatedMs)}</text></g>`,
    );
  }
  const ox = x(w.observed.executors);
  const oy = y(w.observed.actualMs);
  const d = 7;
  const tip = `observed: ${w.observed.executors} executors x ${w.observed.cores} cores ran ${formatDuration(w.observed.actualMs)}; the model replays it in ${formatDuration(w.observed.simulatedMs)}`;
  parts.push(
    `<g class="observed"><path d="M${n(ox)} ${n(oy - d)} L${n(ox + d)} ${n(oy)} L${n(ox)} ${n(oy + d)} L${n(ox - d)} ${n(oy)} Z" fill="${OBSERVED}" stroke="#fff"/><title>${escapeHtml(tip)}</title>` +
      `<text class="value" x="${n(ox + 10)}" y="${n(oy - 8)}" fill="${OBSERVED}">observed ${formatDuration(w.observed.actualMs)}</text></g>`,
  );
  const key = legend(box.left, box.bottom + 44, [
    { label: 'predicted (simulated) wall time', swatch: `<line x1="0" y1="5.5" x2="13" y2="5.5" stroke="${LINE}" stroke-width="2"/><circle cx="6.5" cy="5.5" r="3.5" fill="${LINE}"/>` },
    { label: 'observed run', swatch: `<path d="M6.5 0 L13 5.5 L6.5 11 L0 5.5 Z" fill="${OBSERVED}"/>` },
    { label: 'critical path (lower bound)', swatch: `<line x1="0" y1="5.5" x2="13" y2="5.5" stroke="${CRITICAL}" stroke-width="2" stroke-dasharray="4 2"/>` },
  ]);
  const off = `${(w.observed.errorRatio * 100).toFixed(1)} %`;
  return chart(
    'what-if',
    'What if: wall time vs executors',
    `simulated by replaying the tasks on more or fewer executors; the model replays the observed run ${off} off`,
    box.bottom + 44 + key.height + 4,
    parts.join('') + key.svg,
  );
}
