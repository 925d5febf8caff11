import { writeFileSync } from 'node:fs';
import type { ArgumentsCamelCase, Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { findApp } from '../analyze/find-app.js';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../analyze/findings.js';
import { buildReport } from '../analyze/report.js';
import { reportDoc } from '../render/report-doc.js';
import { renderHtml } from '../render/report-html.js';
import { renderMarkdown } from '../render/report-markdown.js';
import { renderText } from '../render/report-text.js';
import { Db } from '../store/db.js';
import { asFormat, formatOption, type GlobalOptions } from './options.js';

const FORMATS = ['table', 'json', 'markdown', 'html'] as const;

interface ReportArgs extends GlobalOptions {
  app?: string;
  latest: boolean;
  format: string;
  output?: string;
  threshold: string[];
  top: number;
}

export const reportCommand = {
  command: 'report [app]',
  describe: 'Explain one run: where the time went, what went wrong, what to change, and what-if',
  builder: (y: Argv<GlobalOptions>) =>
    formatOption(y, FORMATS)
      .positional('app', { type: 'string', describe: 'App key, a unique prefix of one, or an app name' })
      .option('latest', { type: 'boolean', default: false, describe: 'The newest app' })
      .option('output', { alias: 'o', type: 'string', describe: 'Write to this file instead of stdout' })
      .option('threshold', { type: 'string', array: true, default: [], describe: 'Override a rule threshold: <rule>.<name>=<value>' })
      .option('top', { type: 'number', default: 10, describe: 'Stages to list' }),
  handler: async (args: ArgumentsCamelCase<ReportArgs>) => {
    const format = asFormat(args.format, FORMATS);
    const thresholds = parseThresholds(args.threshold);
    const db = await Db.open(args.db, { readOnly: true });
    try {
      const appKey = await findApp(db, args.app, args.latest);
      const report = await buildReport(db, appKey, { thresholds, topStages: args.top, timeline: format === 'html' });
      const color = !args.output && process.stdout.isTTY === true && !process.env.NO_COLOR;
      const text =
        format === 'json' ? JSON.stringify(report, null, 2) + '\n'
        : format === 'markdown' ? renderMarkdown(reportDoc(report))
        : format === 'html' ? renderHtml(report)
        : renderText(reportDoc(report), { color });
      if (args.output) writeFileSync(args.output, text);
      else process.stdout.write(text);
    } finally {
      db.close();
    }
  },
};

function parseThresholds(pairs: string[]): Partial<Thresholds> {
  const thresholds: Partial<Thresholds> = {};
  for (const pair of pairs) {
    const [key, value] = pair.split('=');
    if (!key || !(key in DEFAULT_THRESHOLDS)) throw new UsageError(`unknown threshold ${key}: use one of ${Object.keys(DEFAULT_THRESHOLDS).join(', ')}`);
    const number = Number(value);
    if (value === undefined || value === '' || !Number.isFinite(number)) throw new UsageError(`threshold ${key} needs a number, got ${value ?? 'nothing'}`);
    thresholds[key as keyof Thresholds] = number;
  }
  return thresholds;
}
