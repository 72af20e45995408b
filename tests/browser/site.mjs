// Shared by the browser tests (not a test file itself): where the seeded test
// site is, where screenshots go, and how Debian's Chromium is launched here.
//
//   PQM_E2E_URL         base URL of the seeded test site (default http://localhost:8081)
//   PQM_REPO            repository root (default: two levels up)
//   PQM_SCREENSHOT_DIR  where screenshots go (default <repo>/build/screenshots)
//   PQM_CHROMIUM        browser binary (default /usr/bin/chromium)
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO = process.env.PQM_REPO || path.resolve(here, '..', '..');
export const BASE = (process.env.PQM_E2E_URL || 'http://localhost:8081').replace(/\/+$/, '');
export const PANEL = `${BASE}/client-panel/`;
export const SHOTS = process.env.PQM_SCREENSHOT_DIR || path.join(REPO, 'build', 'screenshots');
export const PASSWORD = 'pqm-demo-2026'; // docs/demo-data.md

/** Headless Chromium with the flags this closed network needs; makes SHOTS. */
export async function launchChromium() {
  fs.mkdirSync(SHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.PQM_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-gpu'],
  });
}
