import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildReport, type Report } from '../../src/analyze/report.js';
import { escapeHtml, renderHtml } from '../../src/render/report-html.js';
import { ingested } from '../ingested.js';
import { FIXTURE_LOGS as LOGS } from '../raw-events.js';
import { browserTest, load } from './browser.js';

const APP = 'application_1767225600000_0007_2';
const CHARTS = ['executor-timeline', 'stage-gantt', 'task-distribution', 'what-if'];
const SCRIPT = `<script>alert('x')</script>`;
const IMG = `"><img src=x onerror=alert(1)>`;
const SCRIPT_ESCAPED = '&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;';
const IMG_ESCAPED = '&quot;&gt;&lt;img src=x onerror=alert(1)&gt;';

let report: Report;
let dir: string;

beforeAll(async () => {
  const db = await ingested(path.join(LOGS, APP));
  try {
    report = await buildReport(db, APP, { timeline: true });
  } finally {
    db.close();
  }
  dir = mkdtempSync(path.join(os.tmpdir(), 'sparkopt-html-'));
});

afterAll(() => {
  if (!dir) return;
  if (process.env.SPARKOPT_KEEP_HTML) console.log(`HTML report and screenshots kept in ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
});

/** The report with log-controlled strings replaced by markup, everywhere the page shows them. */
function hostile(): Report {
  const r = structuredClone(report);
  r.app.name = SCRIPT;
  r.app.user = IMG;
  r.app.sparkVersion = IMG;
  r.stages[0]!.name = SCRIPT;
  r.stages[1]!.name = IMG;
  r.findings[0]!.title = SCRIPT;
  r.findings[0]!.evidence = { ...r.findings[0]!.evidence, executor: IMG };
  r.findings[1]!.title = IMG;
  r.timeline!.stages[0]!.name = SCRIPT;
  r.timeline!.stages[1]!.name = IMG;
  r.timeline!.tasks[0]!.executorId = IMG;
  r.timeline!.tasks[1]!.executorId = SCRIPT;
  return r;
}

function write(name: string, html: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, html);
  return file;
}

describe('renderHtml', () => {
  test('the fixture report: header, tables, findings and the four charts', () => {
    const html = renderHtml(report);
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(`<h1>${escapeHtml(report.app.name!)}</h1>`);
    expect(html).toContain(APP);
    for (const chart of CHARTS) expect(html).toContain(`data-chart="${chart}"`);
    expect(html).not.toContain('NaN');
    for (const f of report.findings) expect(html).toContain(`<code>${f.id}</code>`);
    expect(report.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['task-failures', 'memory-kill']));
    // One bar per task, failed tasks marked.
    expect(html.match(/class="task /g)).toHaveLength(report.timeline!.tasks.length);
    const failed = report.timeline!.tasks.filter((t) => t.status === 'failed').length;
    expect(failed).toBeGreaterThan(0);
    expect(html.match(/class="task failed"/g)).toHaveLength(failed);
    expect(html.match(/<g class="stage"/g)).toHaveLength(report.timeline!.stages.length);
    // Pure: the same report gives the same page, and is left as it was.
    const before = JSON.stringify(report);
    expect(renderHtml(report)).toBe(html);
    expect(JSON.stringify(report)).toBe(before);
  });

  test('the task-duration boxes come from every task of every stage, even when the other charts sample', () => {
    const { stageDurations } = report.timeline!;
    expect(stageDurations.reduce((n, s) => n + s.count, 0)).toBe(report.summary.tasks);
    const sampled = { ...report, timeline: { ...report.timeline!, tasks: report.timeline!.tasks.slice(0, 1) } };
    const html = renderHtml(sampled);
    expect(html.match(/<g class="distribution"/g)).toHaveLength(stageDurations.length);
    expect(html).toContain(`${report.summary.tasks} tasks in ${stageDurations.length} stages, all attempts and outcomes`);
  });

  test('escapeHtml escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
    expect(escapeHtml(null)).toBe('');
    expect(escapeHtml(42)).toBe('42');
  });

  test('log strings are escaped everywhere: text, attributes, SVG', () => {
    const html = renderHtml(hostile());
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    // Every onerror= is inert text inside the escaped payload.
    expect(html.split('onerror=').length - 1).toBe(html.split(IMG_ESCAPED).length - 1);
    expect(html).toContain(`<h1>${SCRIPT_ESCAPED}</h1>`);
    expect(html).toContain(`data-executor="${IMG_ESCAPED}"`);
    expect(html).toContain(`data-executor="${SCRIPT_ESCAPED}"`);
    expect(html).toContain(`<strong>${SCRIPT_ESCAPED}</strong>`);
    expect(html).toContain(`<strong>${IMG_ESCAPED}</strong>`);
    // Stage names in the Gantt chart's SVG labels (truncated to 34 characters, then escaped).
    expect(html).toContain(escapeHtml(SCRIPT.slice(0, 35)));
    expect(html).toContain(`executor ${IMG_ESCAPED}:`);
  });

  test('self-contained: no external references', () => {
    const html = renderHtml(report);
    expect(html).not.toMatch(/https?:\/\//i);
    expect(html).not.toMatch(/\ssrc\s*=/i);
    expect(html).not.toMatch(/<link|<script|@import|url\(\s*['"]?(?!#)/i);
    expect(html).not.toMatch(/\shref\s*=/i);
    expect(html).toContain("default-src 'none'");
  });

  test('without the timeline the task charts become a note; the what-if chart stays', () => {
    const { timeline: _omit, ...bare } = report;
    const html = renderHtml(bare);
    expect(html).toContain('data-chart="what-if"');
    expect(html).toContain('data-chart-missing="timeline"');
    for (const chart of CHARTS.slice(0, 3)) expect(html).not.toContain(`data-chart="${chart}"`);
  });

  test('edge cases: no tasks, stages that never completed, no scenarios, a huge app', () => {
    const empty = structuredClone(report);
    empty.timeline!.tasks = [];
    empty.timeline!.stages[0]!.endMs = null;
    empty.timeline!.stages[0]!.status = 'active';
    empty.whatIf.scenarios = [];
    empty.app.durationMs = null;
    const html = renderHtml(empty);
    expect(html).toContain('data-chart-missing="timeline"');
    expect(html).toContain('data-chart="stage-gantt"');
    expect(html).toContain('never completed');
    expect(html).not.toContain('NaN');

    const huge = structuredClone(report);
    huge.timeline!.tasks = Array.from({ length: 20_000 }, (_, i) => ({
      executorId: String(i % 100), stageId: i % 40, startMs: (i % 500) * 1000, durationMs: 500 + (i % 7) * 300, status: i % 97 ? 'success' : 'failed',
    }));
    const started = performance.now();
    const big = renderHtml(huge);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(big.match(/class="task /g)).toHaveLength(20_000);
    expect(big).not.toContain('NaN');
  });
});

describe('in Chromium', () => {
  browserTest('the page loads without errors or requests, draws four legible charts and a bar per task', async (browser) => {
    const file = write('report.html', renderHtml(report));
    const url = pathToFileURL(file).href;
    const { page, errors, requests } = await load(browser, url);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    for (const chart of CHARTS) {
      const box = await page.locator(`svg[data-chart="${chart}"]`).boundingBox();
      expect(box, chart).not.toBeNull();
      expect(box!.width, chart).toBeGreaterThanOrEqual(880);
      expect(box!.height, chart).toBeGreaterThan(150);
    }
    expect(await page.locator('svg[data-chart="executor-timeline"] rect.task').count()).toBe(report.timeline!.tasks.length);
    const bar = await page.locator('svg[data-chart="executor-timeline"] rect.task').first().boundingBox();
    expect(bar!.width).toBeGreaterThan(0);
    const shot = path.join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20 * 1024);
  });

  browserTest('hostile log strings stay text in the DOM', async (browser) => {
    const file = write('hostile.html', renderHtml(hostile()));
    const { page, errors, requests } = await load(browser, pathToFileURL(file).href);
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.locator('script, img, [onerror]').count()).toBe(0);
    expect(await page.locator('h1').textContent()).toBe(SCRIPT);
    expect(await page.locator(`g.executor[data-executor="${IMG.replace(/"/g, '\\"')}"]`).count()).toBe(1);
    await page.screenshot({ path: path.join(dir, 'hostile.png'), fullPage: true });
  });
});
