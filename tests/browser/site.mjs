// Shared by the browser tests (not a test file itself): where the seeded test
// site is, where screenshots go, how Debian's Chromium is launched here, the
// browser context that only talks to the local site, and the wp-login.php
// form.
//
//   PQM_E2E_URL         base URL of the seeded test site (default http://localhost:8081)
//   PQM_REPO            repository root (default: two levels up)
//   PQM_SCREENSHOT_DIR  where screenshots go (default <repo>/build/screenshots)
//   PQM_CHROMIUM        browser binary (default /usr/bin/chromium)
import assert from 'node:assert/strict';
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
export const VIEWPORTS = { desktop: { width: 1280, height: 800 }, mobile: { width: 360, height: 740 } };
export const STEP_TIMEOUT = 20_000;

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

/** Removes stale `*-FAILED.png` pictures whose name passes `keep` (a failure picture from an earlier run would mislead). */
export function removeFailureShots(keep = () => true) {
  for (const f of fs.readdirSync(SHOTS)) {
    if (/-FAILED\.png$/.test(f) && keep(f)) fs.rmSync(path.join(SHOTS, f), { force: true });
  }
}

/** Outside hosts the pages of this test process tried to reach (requests aborted). */
export const blockedHosts = new Set();

/**
 * A browser context that may contact the local test site only: WordPress
 * pages reference outside hosts (Gravatar avatars in the admin bar, emoji
 * images); those requests are aborted, never sent. `options` are passed to
 * browser.newContext (viewport, javaScriptEnabled, storageState …).
 */
export async function newContext(browser, options = {}) {
  const ctx = await browser.newContext({ javaScriptEnabled: true, ...options });
  await ctx.route('**/*', (route) => {
    const { hostname, protocol } = new URL(route.request().url());
    const local = ['localhost', '127.0.0.1', '[::1]', '::1'].includes(hostname) || hostname.endsWith('.localhost');
    if (local || protocol === 'data:' || protocol === 'blob:') return route.continue();
    blockedHosts.add(hostname);
    return route.abort('blockedbyclient');
  });
  ctx.setDefaultTimeout(STEP_TIMEOUT);
  ctx.setDefaultNavigationTimeout(STEP_TIMEOUT);
  return ctx;
}

/** Full-page screenshot SHOTS/<name>.png. */
export async function shot(page, name) {
  const file = path.join(SHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * On wp-login.php (the page is already there): type the login and password
 * the way a person does, press "Log In" and wait until `landed(url)` holds.
 */
export async function submitLoginForm(page, user, landed, password = PASSWORD) {
  assert.match(new URL(page.url()).pathname, /\/wp-login\.php$/, `not on the login form: ${page.url()}`);
  // wp-login.php focuses the login field 200 ms after it loads; when that
  // happens while the password is being typed, the password lands in the
  // login field. A person would see it and type again; so do we.
  const typed = async () => (await page.inputValue('#user_login')) === user && (await page.inputValue('#user_pass')) === password;
  for (let i = 0; i < 3 && !(i && await typed()); i++) {
    await page.fill('#user_login', user);
    await page.fill('#user_pass', password);
  }
  assert.ok(await typed(), 'could not type the login and password into wp-login.php');
  await Promise.all([page.waitForURL(landed), page.click('#wp-submit')]);
}

/**
 * Log in to the panel through the real form: open the panel, follow its
 * login link, type, submit, land on the panel.
 */
export async function loginThroughForm(page, user, password = PASSWORD) {
  const resp = await page.goto(PANEL);
  assert.equal(resp.status(), 200, `GET ${PANEL} -> HTTP ${resp.status()}`);
  const link = page.locator('a.pqm-login-link');
  assert.equal(await link.count(), 1, 'logged-out panel has no a.pqm-login-link');
  await Promise.all([page.waitForURL(/wp-login\.php/), link.click()]);
  await submitLoginForm(page, user, (u) => u.pathname === '/client-panel/', password);
  assert.ok(await page.locator('.pqm-panel').count(), `no .pqm-panel after ${user} logged in`);
}
