// Real-browser tests of the client panel: headless Chromium via playwright-core
// (settings: site.mjs).
//
// Run: (cd tests/browser && npm ci) && node --test tests/browser/
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  VIEWPORTS, blockedHosts, launchChromium, loginThroughForm, newContext as siteContext, PANEL, removeFailureShots, shot,
} from './site.mjs';

let browser;

before(async () => {
  browser = await launchChromium(); // also creates SHOTS
  removeFailureShots((f) => !f.startsWith('admin-')); // admin.test.mjs cleans its own
});

after(async () => {
  if (blockedHosts.size) console.log(`# blocked requests to outside hosts: ${[...blockedHosts].join(', ')}`);
  if (browser) await browser.close();
});

const newContext = (options) => siteContext(browser, options);

async function noHorizontalScroll(page, where) {
  const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  assert.ok(sw <= iw, `${where}: page scrolls sideways (scrollWidth ${sw} > innerWidth ${iw})`);
}

// list -> first order -> detail shows its ref -> back -> list again
async function listDetailBack(page, label) {
  const cards = page.locator('article.pqm-order');
  const n = await cards.count();
  assert.ok(n >= 1 && n <= 10, `${label}: ${n} order cards on the first page (expected 1..10)`);
  const first = cards.first();
  const ref = await first.getAttribute('data-ref');
  assert.match(ref, /^PQ-\d+$/, `${label}: first card data-ref ${ref}`);
  // the card's link to its detail view (a person clicks the title / "view" link)
  const link = first.locator('a[href*="pqm_order="]').first();
  assert.equal(await first.locator('a[href*="pqm_order="]').count() >= 1, true, `${label}: card ${ref} has no detail link`);
  await Promise.all([page.waitForURL((u) => u.searchParams.get('pqm_order') === ref), link.click()]);
  const detail = page.locator(`.pqm-order-detail[data-ref="${ref}"]`);
  assert.equal(await detail.count(), 1, `${label}: detail view of ${ref} not shown`);
  assert.ok((await detail.innerText()).includes(ref), `${label}: detail does not show its reference ${ref}`);
  await shot(page, `${label}-detail`);
  await noHorizontalScroll(page, `${label} detail`);
  const back = page.locator('a.pqm-back');
  assert.equal(await back.count(), 1, `${label}: no a.pqm-back`);
  await Promise.all([page.waitForURL((u) => !u.searchParams.get('pqm_order')), back.click()]);
  assert.equal(await page.locator('.pqm-order-list').count(), 1, `${label}: back link did not return to the list`);
  assert.equal(await page.locator('.pqm-order-detail').count(), 0);
  assert.ok(await page.locator('article.pqm-order').count() >= 1, `${label}: list empty after back`);
  return ref;
}

async function cardsLeftX(page) {
  return page.$$eval('article.pqm-order', (els) => els.map((e) => Math.round(e.getBoundingClientRect().left)));
}

for (const [vpName, viewport] of Object.entries(VIEWPORTS)) {
  for (const js of [true, false]) {
    const label = `alice-${vpName}-${js ? 'js' : 'nojs'}`;
    test(`alice at ${viewport.width}x${viewport.height}, JavaScript ${js ? 'on' : 'off'}: list, detail, back`, async () => {
      const ctx = await newContext({ viewport, javaScriptEnabled: js });
      const page = await ctx.newPage();
      const errors = [];
      page.on('pageerror', (e) => errors.push(String(e)));
      try {
        await loginThroughForm(page, 'alice');
        assert.equal(await page.locator('.pqm-order-list').count(), 1, `${label}: no .pqm-order-list`);
        const body = await page.locator('body').innerText();
        assert.ok(!body.includes('INTERNAL-ONLY'), `${label}: internal marker visible`);
        await shot(page, `${label}-list`);
        await noHorizontalScroll(page, `${label} list`);
        if (viewport.width <= 400) {
          const xs = await cardsLeftX(page);
          assert.ok(xs.length > 1, `${label}: need several cards to check the layout`);
          assert.ok(xs.every((x) => x === xs[0]), `${label}: cards not in one column at ${viewport.width}px (left x: ${xs})`);
          const widths = await page.$$eval('article.pqm-order', (els) => els.map((e) => e.getBoundingClientRect().right));
          assert.ok(widths.every((r) => r <= viewport.width), `${label}: a card sticks out of the viewport (${widths})`);
        }
        await listDetailBack(page, label);
        assert.deepEqual(errors, [], `${label}: JavaScript errors on the page`);
      } catch (e) {
        await shot(page, `${label}-FAILED`).catch(() => {});
        throw e;
      } finally {
        await ctx.close();
      }
    });
  }
}

test('pagination in the browser: next page and back with rel links (JavaScript off)', async () => {
  const ctx = await newContext({ viewport: VIEWPORTS.mobile, javaScriptEnabled: false });
  const page = await ctx.newPage();
  try {
    await loginThroughForm(page, 'alice');
    await page.goto(`${PANEL}?pqm_view=all`);
    const firstRefs = await page.$$eval('article.pqm-order', (els) => els.map((e) => e.dataset.ref));
    const next = page.locator('nav.pqm-pagination a[rel=next]');
    assert.equal(await next.count(), 1, 'alice (18 orders in view=all) has no next-page link');
    await Promise.all([page.waitForLoadState('load'), page.waitForURL(/pqm_page=2/), next.click()]);
    const secondRefs = await page.$$eval('article.pqm-order', (els) => els.map((e) => e.dataset.ref));
    assert.ok(secondRefs.length >= 1, 'page 2 empty');
    assert.ok(!secondRefs.some((r) => firstRefs.includes(r)), 'page 2 repeats page 1');
    await noHorizontalScroll(page, 'page 2');
    await shot(page, 'alice-mobile-page2');
    const prev = page.locator('nav.pqm-pagination a[rel=prev]');
    assert.equal(await prev.count(), 1, 'page 2 has no prev link');
    await Promise.all([page.waitForURL((u) => u.searchParams.get('pqm_page') !== '2'), prev.click()]);
    assert.deepEqual(await page.$$eval('article.pqm-order', (els) => els.map((e) => e.dataset.ref)), firstRefs);
  } catch (e) {
    await shot(page, 'alice-pagination-FAILED').catch(() => {});
    throw e;
  } finally {
    await ctx.close();
  }
});

test('carol narrows the list with the account filter (JavaScript on and off)', async () => {
  for (const js of [true, false]) {
    const ctx = await newContext({ viewport: VIEWPORTS.desktop, javaScriptEnabled: js });
    const page = await ctx.newPage();
    try {
      await loginThroughForm(page, 'carol');
      await page.goto(`${PANEL}?pqm_view=all`);
      const select = page.locator('form.pqm-account-filter select[name=pqm_account]');
      assert.equal(await select.count(), 1, 'no account filter for carol');
      await select.selectOption({ label: 'Northwind West' });
      // With JS the page may submit on change; without it the person presses the button.
      const submit = page.locator('form.pqm-account-filter [type=submit]');
      if (!/pqm_account=/.test(page.url())) {
        if (await submit.count()) {
          await Promise.all([page.waitForURL(/pqm_account=/), submit.first().click()]);
        } else {
          await page.waitForURL(/pqm_account=/, { timeout: 5000 }).catch(() => {});
        }
      }
      assert.match(page.url(), /pqm_account=\d+/, `filter did not apply (js ${js}): ${page.url()}`);
      const names = await page.$$eval('article.pqm-order .pqm-account', (els) => els.map((e) => e.textContent.trim()));
      assert.ok(names.length >= 1, 'no orders after filtering');
      assert.ok(names.every((n) => n === 'Northwind West'), `filtered list shows ${[...new Set(names)]}`);
      await shot(page, `carol-filter-${js ? 'js' : 'nojs'}`);
    } catch (e) {
      await shot(page, `carol-filter-${js ? 'js' : 'nojs'}-FAILED`).catch(() => {});
      throw e;
    } finally {
      await ctx.close();
    }
  }
});

test('other panel states fit a 360 px phone: logged out, not found, bob and carol lists', async () => {
  const ctx = await newContext({ viewport: VIEWPORTS.mobile });
  const page = await ctx.newPage();
  try {
    await page.goto(PANEL);
    assert.equal(await page.locator('.pqm-login').count(), 1, 'logged-out panel has no .pqm-login');
    await noHorizontalScroll(page, 'logged out');
    await shot(page, 'loggedout-mobile');
    for (const user of ['bob', 'carol']) {
      await ctx.clearCookies();
      await loginThroughForm(page, user);
      await noHorizontalScroll(page, `${user} list`);
      const xs = await cardsLeftX(page);
      assert.ok(xs.length > 1 && xs.every((x) => x === xs[0]), `${user}: cards not in one column (${xs})`);
      await shot(page, `${user}-mobile-list`);
      const resp = await page.goto(`${PANEL}?pqm_order=PQ-9999`);
      assert.equal(resp.status(), 404);
      assert.equal(await page.locator('.pqm-not-found').count(), 1, `${user}: no .pqm-not-found`);
      await noHorizontalScroll(page, `${user} not found`);
      await shot(page, `${user}-mobile-notfound`);
    }
  } catch (e) {
    await shot(page, 'states-mobile-FAILED').catch(() => {});
    throw e;
  } finally {
    await ctx.close();
  }
});
