import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { test } from 'vitest';

/** Debian's Chromium: tests never download a browser (CI installs the package, see .ci/run). */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'];

export interface Loaded {
  page: Page;
  /** Console errors and uncaught page errors seen while loading. */
  errors: string[];
  /** Requests for anything but the page itself (a self-contained page makes none). */
  requests: string[];
}

/**
 * A test that needs Chromium. Without it the test is skipped, loudly; under CI=true it fails instead, so the browser
 * check cannot silently vanish from CI.
 */
export function browserTest(name: string, fn: (browser: Browser) => Promise<void>, timeout = 60_000): void {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI === 'true') {
      test(name, () => {
        throw new Error(`${CHROMIUM} is missing: install Debian's chromium package (apt-get install -y chromium)`);
      });
    } else {
      console.warn(`\n!!! SKIPPING browser test "${name}": ${CHROMIUM} is missing (apt-get install -y chromium). It fails under CI=true. !!!\n`);
      test.skip(name, () => {});
    }
    return;
  }
  test(
    name,
    async () => {
      const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
      try {
        await fn(browser);
      } finally {
        await browser.close();
      }
    },
    timeout,
  );
}

/** Opens `url` in a fresh page at a desktop size, recording errors and outside requests. */
export async function load(browser: Browser, url: string): Promise<Loaded> {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`page: ${err.message}`));
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  page.on('request', (req) => {
    if (req.url() !== url) requests.push(req.url());
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, requests };
}
