// Real-browser tests of the message form (issue #3): with JavaScript it posts
// in place (no navigation); without JavaScript the POST → redirect shows it;
// a failure keeps the text in the box. Headless Chromium via playwright-core.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { BASE, PANEL, SHOTS, PASSWORD, launchChromium } from './site.mjs';

let browser;
before(async () => {
  browser = await launchChromium();
});
after(async () => { if (browser) await browser.close(); });

async function loggedIn(user, javaScriptEnabled) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, javaScriptEnabled });
  ctx.setDefaultTimeout(20_000);
  const page = await ctx.newPage();
  await page.goto(`${BASE}/wp-login.php?redirect_to=${encodeURIComponent(PANEL)}`);
  await page.fill('#user_login', user);
  await page.fill('#user_pass', PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === '/client-panel/'), page.click('#wp-submit')]);
  return { ctx, page };
}

test('with JavaScript a message posts in place and the page does not reload', async () => {
  const { ctx, page } = await loggedIn('bob', true);
  try {
    await page.goto(`${PANEL}?pqm_order=PQ-1021`);
    await page.evaluate(() => { window.__pqmNoReload = true; });
    const before = await page.locator('ol.pqm-thread li.pqm-message').count();
    const text = `In place ${Date.now()}\nsecond line https://example.com/in-place`;
    await page.fill('form.pqm-message-form textarea', text);
    await page.click('form.pqm-message-form button[type=submit]');
    await page.waitForFunction((n) => document.querySelectorAll('ol.pqm-thread li.pqm-message').length === n + 1, before);
    assert.equal(await page.evaluate(() => window.__pqmNoReload), true, 'the page reloaded');
    const last = page.locator('ol.pqm-thread li.pqm-message').last();
    assert.match(await last.locator('.pqm-message__body').innerText(), /In place \d+\nsecond line https:\/\/example.com\/in-place/);
    assert.equal(await last.locator('a').getAttribute('rel'), 'nofollow noopener noreferrer');
    assert.equal(await page.inputValue('form.pqm-message-form textarea'), '', 'box emptied after success');
    await page.screenshot({ path: path.join(SHOTS, 'messages-in-place.png'), fullPage: true });

    // A failure (here: a stale nonce) keeps the text in the box and says why.
    await page.evaluate(() => { document.querySelector('form.pqm-message-form input[name=_wpnonce]').value = 'stale'; });
    await page.fill('form.pqm-message-form textarea', 'keep me please');
    await page.click('form.pqm-message-form button[type=submit]');
    await page.locator('form.pqm-message-form .pqm-message-error:not([hidden])').waitFor();
    assert.match(await page.locator('form.pqm-message-form .pqm-message-error').innerText(), /expired/);
    assert.equal(await page.inputValue('form.pqm-message-form textarea'), 'keep me please');
    assert.equal(await page.locator('ol.pqm-thread li.pqm-message').count(), before + 1, 'nothing stored');
  } finally {
    await ctx.close();
  }
});

test('without JavaScript the form posts, redirects back and shows the message', async () => {
  const { ctx, page } = await loggedIn('carol', false);
  try {
    await page.goto(`${PANEL}?pqm_order=PQ-1033`);
    const text = `No JS ${Date.now()}`;
    await page.fill('form.pqm-message-form textarea', text);
    await Promise.all([page.waitForURL(/pqm_order=PQ-1033#pqm-message-\d+$/), page.click('form.pqm-message-form button[type=submit]')]);
    const last = page.locator('ol.pqm-thread li.pqm-message').last();
    assert.equal((await last.locator('.pqm-message__body').innerText()).trim(), text);
    assert.equal(await last.getAttribute('class').then((c) => c.includes('pqm-message--mine')), true);
    await page.screenshot({ path: path.join(SHOTS, 'messages-no-js.png'), fullPage: true });
  } finally {
    await ctx.close();
  }
});
