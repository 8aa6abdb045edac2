import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { PACKAGE_ROOT } from '../paths.js';

/** Debian's Chromium (`apt-get install chromium`): Playwright's own browser download cannot work on these machines. */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Where browser tests write their screenshots: test artifacts, not committed. */
export const ARTIFACTS_DIR = path.join(PACKAGE_ROOT, 'reports', 'browser');

/**
 * Headless Chromium as the tests drive it. The background-networking flags
 * keep it from calling out (this machine's network is closed, and a page test
 * must see only the requests the page makes).
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `no Chromium at ${CHROMIUM}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`,
    );
  }
  await mkdir(ARTIFACTS_DIR, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/** The path a screenshot named `name` is written to. */
export const screenshotPath = (name: string): string => path.join(ARTIFACTS_DIR, `${name}.png`);
