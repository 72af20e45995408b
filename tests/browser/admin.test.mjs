// Real-browser tests of the wp-admin staff screens (docs/admin.md): the
// manager logs in through wp-login.php and works the Orders list (search,
// status filter, bulk status), the order screen (save, validation error), the
// New order form and Preview as customer, and the list at a phone width.
// Headless Chromium via playwright-core (settings: site.mjs).
//
// Data: the write tests use an account, a customer login and orders of their
// own (TAG below, created with scripts/wp/eval.php and the New order form);
// the seeded orders are only read (the preview records nothing for the
// login it shows, which the last preview test checks).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import {
  BASE, PANEL, PASSWORD, REPO, VIEWPORTS, blockedHosts, launchChromium, loginThroughForm, newContext,
  removeFailureShots, shot, submitLoginForm,
} from './site.mjs';

const ADMIN = `${BASE}/wp-admin/admin.php`;
const ORDERS = `${ADMIN}?page=pqm-orders`;
const WP_HOST = process.env.PQM_E2E_WP_HOST || new URL(BASE).hostname;
// Unique per run, upper case (references are matched case-insensitively anyway).
const TAG = `BRW${Date.now().toString(36).toUpperCase()}`;
const REF = (suffix) => `${TAG}-${suffix}`;

let browser;
let managerState; // cookies of the manager after the form login (test 1 makes it; later tests reuse it)
let fx; // the fixtures of this run (account, customer login, orders)

/** Run PHP inside the test site (scripts/wp/eval.php) and return its JSON result. */
function wpEval(code) {
  const out = execFileSync('php', [path.join(REPO, 'scripts/wp/eval.php'), WP_HOST, code], {
    cwd: REPO, encoding: 'utf8', timeout: 120_000,
  });
  return out.trim() ? JSON.parse(out) : null;
}

before(async () => {
  browser = await launchChromium();
  removeFailureShots((f) => f.startsWith('admin-'));
  // An account of our own with one customer login and a few orders; a staff
  // message on -M that the customer has not read yet.
  fx = wpEval(`
    $a = PQM_Commands::account_create('Browser admin ${TAG}', false, null);
    $login = strtolower('${TAG}') . '-bea';
    $uid = wp_insert_user(array('user_login' => $login, 'user_pass' => '${PASSWORD}', 'role' => 'pqm_customer',
      'user_email' => $login . '@example.test', 'display_name' => 'Bea ${TAG}'));
    if (is_wp_error($uid)) { throw new Exception($uid->get_error_message()); }
    PQM_Commands::account_add_user($a['id'], $login, 'approver');
    foreach (array('B1', 'B2', 'B3', 'E', 'M') as $s) {
      PQM_Commands::order_create(array('account' => $a['id'], 'title' => 'Browser test ' . $s, 'reference' => '${TAG}-' . $s));
    }
    PQM_Message_Commands::message_add('${TAG}-M', 'Your proof ${TAG} is ready.', false, 'manager');
    return array('account_id' => $a['id'], 'account' => $a['name'], 'login' => $login, 'user_id' => $uid);
  `);
});

after(async () => {
  if (blockedHosts.size) console.log(`# blocked requests to outside hosts: ${[...blockedHosts].join(', ')}`);
  if (browser) await browser.close();
});

/** A page of a fresh context; `errors` collects JavaScript errors of the page. */
async function openPage(options = {}) {
  const ctx = await newContext(browser, { viewport: VIEWPORTS.desktop, ...options });
  const page = await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  return { ctx, page, errors };
}

/** As the manager (logged in through the form in the first test, or here if that one did not run). */
async function asManager(viewport = VIEWPORTS.desktop) {
  if (!managerState) {
    const { ctx, page } = await openPage();
    await loginToAdmin(page, 'manager');
    managerState = await ctx.storageState();
    await ctx.close();
  }
  return openPage({ viewport, storageState: managerState });
}

/** Open the Orders screen logged out: WordPress sends us to wp-login.php; log in there and land on the screen. */
async function loginToAdmin(page, user) {
  await page.goto(ORDERS);
  assert.match(page.url(), /\/wp-login\.php\?/, `logged out, ${ORDERS} did not lead to the login form`);
  await submitLoginForm(page, user, (u) => u.pathname === '/wp-admin/admin.php' && u.searchParams.get('page') === 'pqm-orders');
}

/**
 * Run `body(page)`, then check the page threw no JavaScript error; on failure
 * keep a picture SHOTS/admin-<name>-FAILED.png. Always closes the context.
 */
async function withPage(name, { page, ctx, errors }, body) {
  try {
    await body(page);
    assert.deepEqual(errors, [], `${name}: JavaScript errors on the page`);
  } catch (e) {
    await shot(page, `admin-${name}-FAILED`).catch(() => {});
    throw e;
  } finally {
    await ctx.close();
  }
}

/** Click and wait for the navigation it causes. */
async function clickAndWait(page, locator, url) {
  await Promise.all([page.waitForURL(url ?? (() => true), { waitUntil: 'load' }), locator.click()]);
}

const rows = (page) => page.locator('#the-list tr:not(.no-items)');
const refsOnScreen = (page) => page.$$eval('#the-list a.pqm-order-link', (as) => as.map((a) => a.textContent.trim()));
const rowOf = (page, ref) => page.locator('#the-list tr').filter({ has: page.locator('a.pqm-order-link', { hasText: new RegExp(`^${ref}$`) }) });

/** The "N items" count WordPress prints above the table. */
async function itemCount(page) {
  const text = await page.locator('.tablenav.top .displaying-num').first().innerText();
  const n = Number(text.replace(/[^\d]/g, ''));
  assert.ok(Number.isInteger(n), `no item count in "${text}"`);
  return n;
}

/** The one-time admin notice after a POST → redirect. */
async function notice(page, kind) {
  const box = page.locator(`.notice.notice-${kind}.pqm-notice`);
  await box.first().waitFor({ state: 'visible' });
  assert.equal(await box.count(), 1, `expected one ${kind} notice`);
  return (await box.locator('p').first().innerText()).trim(); // without WordPress's "Dismiss this notice." button
}

/** Search the Orders list the way a person does: type into the search box, press "Search orders". */
async function search(page, text) {
  await page.fill('#pqm-order-search-search-input', text);
  await clickAndWait(page, page.locator('#search-submit'), (u) => u.searchParams.get('s') === text);
}

// ------------------------------------------------------------------ list

test('manager logs in through wp-login.php; the Orders list searches and filters by status', async () => {
  await withPage('list', await openPage(), async (page) => {
    await loginToAdmin(page, 'manager');
    managerState = await page.context().storageState();
    assert.equal((await page.locator('.pqm-orders-screen h1').innerText()).trim(), 'Orders');
    const all = await itemCount(page);
    assert.ok(all >= 45, `the list counts ${all} orders; the seed alone has 45`);
    assert.equal(await rows(page).count(), 20, 'first page shows 20 rows (screen option default)');
    for (const col of ['reference', 'title', 'account', 'status', 'promised', 'created']) {
      assert.ok(await page.locator(`#the-list td.column-${col}, #the-list th.column-${col}`).first().isVisible(), `column ${col} not shown at 1280 px`);
    }
    await shot(page, 'admin-orders-1280');

    // A reference typed in the search box narrows the list to that order.
    await search(page, 'PQ-1044');
    assert.deepEqual(await refsOnScreen(page), ['PQ-1044']);
    assert.equal(await itemCount(page), 1);
    assert.match(await rowOf(page, 'PQ-1044').locator('td.column-account').innerText(), /Northwind West/);
    assert.equal(await page.inputValue('#pqm-order-search-search-input'), 'PQ-1044', 'the search box keeps the term');

    // Back to all orders, then a status filter: only rows of that status.
    await page.fill('#pqm-order-search-search-input', '');
    await page.selectOption('#pqm-filter-status', { label: 'Ready for pickup / dispatch' });
    await clickAndWait(page, page.locator('#pqm-filter-submit'), (u) => u.searchParams.get('status') === 'ready');
    const statuses = await page.$$eval('#the-list td.column-status .pqm-internal-status', (els) => els.map((e) => e.textContent.trim()));
    assert.ok(statuses.length >= 1, 'no order is "ready"');
    assert.ok(statuses.every((s) => s === 'Ready for pickup / dispatch'), `status filter shows ${[...new Set(statuses)]}`);
    const customerLabels = await page.$$eval('#the-list .pqm-customer-status', (els) => els.map((e) => e.textContent.trim()));
    assert.ok(customerLabels.every((s) => s === 'Customer sees: Ready'), `customer labels ${[...new Set(customerLabels)]}`);
    const ready = await itemCount(page);
    assert.ok(ready < all, `filtered count ${ready} is not below ${all}`);
    assert.equal(await page.locator('#pqm-filter-status').inputValue(), 'ready', 'the dropdown keeps the chosen status');
    await shot(page, 'admin-orders-filtered');
  });
});

test('New order form: a taken reference is refused with the form kept; then the order is created and opened', async () => {
  await withPage('new-order', await asManager(), async (page) => {
    await page.goto(ORDERS);
    const form = page.locator('form.pqm-order-create');
    await form.locator('select[name=account_id]').selectOption({ label: fx.account });
    await form.locator('input[name=title]').fill(`Window stickers ${TAG}`);
    await form.locator('input[name=reference]').fill(REF('E')); // taken (before())
    await form.locator('select[name=status]').selectOption('prepress');
    await form.locator('input[name=promised]').fill('2027-05-06');
    await form.locator('textarea[name=note]').fill('We print these on matte vinyl.');
    await clickAndWait(page, form.locator('[type=submit]'), /pqm_notice=1/);
    assert.equal(await notice(page, 'error'), `an order with reference "${REF('E')}" already exists`);
    assert.equal(await page.locator('h1[data-ref]').count(), 0, 'an order screen opened after a failed create');
    // Everything typed is still there; only the reference needs changing.
    assert.equal(await form.locator('select[name=account_id] option:checked').innerText(), fx.account);
    assert.equal(await form.locator('input[name=title]').inputValue(), `Window stickers ${TAG}`);
    assert.equal(await form.locator('select[name=status]').inputValue(), 'prepress');
    assert.equal(await form.locator('input[name=promised]').inputValue(), '2027-05-06');
    assert.equal(await form.locator('textarea[name=note]').inputValue(), 'We print these on matte vinyl.');
    await shot(page, 'admin-new-order-error');
    await form.locator('input[name=reference]').fill(REF('N'));
    await clickAndWait(page, form.locator('[type=submit]'), (u) => u.searchParams.get('order') === REF('N'));
    assert.equal(await notice(page, 'success'), `Order ${REF('N')} created.`);
    assert.equal(await page.locator('h1[data-ref]').getAttribute('data-ref'), REF('N'));
    assert.equal(await page.inputValue('#pqm-promised'), '2027-05-06');
    assert.equal(await page.inputValue('#pqm-status'), 'prepress');
    assert.equal(await page.inputValue('#pqm-note'), 'We print these on matte vinyl.');
    // … and it is in the list under our account.
    await page.goto(ORDERS);
    await search(page, REF('N'));
    assert.deepEqual(await refsOnScreen(page), [REF('N')]);
    assert.equal((await rowOf(page, REF('N')).locator('td.column-account').innerText()).trim(), fx.account);
  });
});

// ------------------------------------------------------------------ order screen

test('order screen: the customer note and promised date are saved, kept after reload and reach the customer', async () => {
  const ref = REF('E');
  await withPage('order-save', await asManager(), async (page) => {
    await page.goto(ORDERS);
    await search(page, ref);
    await clickAndWait(page, rowOf(page, ref).locator('a.pqm-order-link'), (u) => u.searchParams.get('order') === ref);
    assert.equal(await page.locator('h1[data-ref]').getAttribute('data-ref'), ref);
    assert.equal(await page.inputValue('#pqm-promised'), '', 'a fresh order has no promised date');
    const note = `Collect at door 3 (${TAG})`;
    await page.fill('#pqm-note', note);
    await page.fill('#pqm-promised', '2027-03-04');
    await clickAndWait(page, page.locator('form.pqm-order-form [type=submit]'), /pqm_notice=1/);
    assert.equal(await notice(page, 'success'), `Order ${ref} saved.`);
    await shot(page, 'admin-order-saved');
    await page.reload();
    assert.equal(await page.locator('.pqm-notice').count(), 0, 'the notice is shown once');
    assert.equal(await page.inputValue('#pqm-note'), note, 'note not kept after reload');
    assert.equal(await page.inputValue('#pqm-promised'), '2027-03-04', 'promised date not kept after reload');

    // The customer of the account sees the note and the date.
    const bea = await openPage();
    await withPage('order-save-customer', bea, async (cp) => {
      await loginThroughForm(cp, fx.login);
      await cp.goto(`${PANEL}?pqm_order=${ref}`);
      assert.equal((await cp.locator('.pqm-note__text').innerText()).trim(), note);
      assert.equal(await cp.locator('.pqm-order-detail time[datetime="2027-03-04"]').count(), 1, 'customer does not see the promised date');
    });
  });
});

test('order screen: a validation error shows the error notice, saves nothing and keeps what was typed', async () => {
  const ref = REF('E');
  await withPage('order-error', await asManager(), async (page) => {
    await page.goto(`${ORDERS}&order=${ref}`);
    const before = wpEval(`return PQM_Staff_Commands::order_get('${ref}');`);
    assert.equal(await page.inputValue('#pqm-note'), before.note);
    // A title of spaces passes the browser's "required" check; the order must have a title.
    const typedNote = `Typed before the error (${TAG})`;
    await page.fill('#pqm-title', '   ');
    await page.fill('#pqm-note', typedNote);
    await page.fill('#pqm-promised', '2027-09-10');
    await clickAndWait(page, page.locator('form.pqm-order-form [type=submit]'), /pqm_notice=1/);
    assert.match(await notice(page, 'error'), /title must be 1 to 255 characters/);
    assert.equal(await page.locator('.pqm-notice.notice-success').count(), 0);
    await shot(page, 'admin-order-error');
    const stored = wpEval(`return PQM_Staff_Commands::order_get('${ref}');`);
    assert.deepEqual([stored.title, stored.note, stored.promised], [before.title, before.note, before.promised], 'a rejected save changed the order');
    // What the person typed is still in the form, ready to correct.
    assert.equal(await page.inputValue('#pqm-note'), typedNote, 'the typed note was lost after the error');
    assert.equal(await page.inputValue('#pqm-promised'), '2027-09-10', 'the typed date was lost after the error');
    assert.equal((await page.inputValue('#pqm-title')).trim(), '', 'the title to correct is not the blank one typed');
  });
});

// ------------------------------------------------------------------ bulk

test('bulk status: two ticked orders get the new status, the others keep theirs', async () => {
  const [a, b, c] = [REF('B1'), REF('B2'), REF('B3')];
  await withPage('bulk', await asManager(), async (page) => {
    await page.goto(ORDERS);
    await search(page, TAG);
    const shown = await refsOnScreen(page);
    for (const r of [a, b, c]) assert.ok(shown.includes(r), `${r} not in the search for ${TAG}: ${shown}`);
    for (const r of [a, b, c]) assert.match(await rowOf(page, r).locator('.pqm-internal-status').innerText(), /^Received$/);
    await rowOf(page, a).locator('input[name="references[]"]').check();
    await rowOf(page, b).locator('input[name="references[]"]').check();
    await page.selectOption('#bulk-action-selector-top', { label: 'Set status: Shipped' });
    await clickAndWait(page, page.locator('#doaction'), /pqm_notice=1/);
    assert.equal(await notice(page, 'success'), 'Status changed on 2 orders.');
    assert.equal(new URL(page.url()).searchParams.get('s'), TAG, 'back on the same search');
    for (const r of [a, b]) {
      assert.equal((await rowOf(page, r).locator('.pqm-internal-status').innerText()).trim(), 'Shipped', `${r} not shipped`);
      assert.equal((await rowOf(page, r).locator('.pqm-customer-status').innerText()).trim(), 'Customer sees: Shipped');
    }
    assert.equal((await rowOf(page, c).locator('.pqm-internal-status').innerText()).trim(), 'Received', `${c} was not ticked`);
    await shot(page, 'admin-bulk');
  });
});

// ------------------------------------------------------------------ preview

/** Follow the panel's "All" tab and every "Older ›" link; the references in order. */
async function allRefs(page, scope) {
  const frame = page.locator(scope);
  await clickAndWait(page, frame.locator('nav.pqm-views a[data-view=all]'), (u) => u.searchParams.get('pqm_view') === 'all');
  const refs = [];
  for (let i = 0; i < 20; i++) {
    refs.push(...await frame.locator('article.pqm-order').evaluateAll((els) => els.map((e) => e.dataset.ref)));
    const next = frame.locator('nav.pqm-pagination a[rel=next]');
    if (!(await next.count())) return refs;
    await clickAndWait(page, next, (u) => u.searchParams.get('pqm_page') === String(i + 2));
  }
  throw new Error('more than 20 pages');
}

/** Pick a login in Preview as customer (reached from the Client Panel menu) and press Preview. */
async function openPreview(page, login) {
  await page.goto(ORDERS);
  await clickAndWait(page, page.locator('#adminmenu a', { hasText: /^Preview as customer$/ }), /page=pqm-preview/);
  const option = page.locator('#pqm-preview-user option', { hasText: `(${login})` });
  assert.equal(await option.count(), 1, `${login} is not offered in the preview picker`);
  await page.selectOption('#pqm-preview-user', await option.getAttribute('value'));
  await clickAndWait(page, page.locator('form.pqm-preview-pick [type=submit]'), (u) => u.searchParams.has('preview_user'));
  const banner = page.locator('.pqm-preview-banner');
  assert.ok(await banner.isVisible(), 'no preview banner');
  assert.match(await banner.innerText(), new RegExp(`Preview: this is exactly what .* \\(${login}\\) sees\\. Read-only`));
  const [bannerBox, frameBox] = [await banner.boundingBox(), await page.locator('.pqm-preview-frame').boundingBox()];
  assert.ok(bannerBox.y + bannerBox.height <= frameBox.y, 'the banner is not above the previewed panel');
}

/**
 * Every POST form in the preview: typing does not reach it, its buttons take
 * no focus and a click on them submits nothing (no POST request, no
 * navigation).
 */
async function assertNoWorkingForm(page, where) {
  const posts = [];
  const onRequest = (r) => { if (r.method() !== 'GET') posts.push(`${r.method()} ${r.url()}`); };
  page.on('request', onRequest);
  const forms = page.locator('.pqm-preview-frame form');
  let postForms = 0;
  for (let i = 0; i < await forms.count(); i++) {
    const form = forms.nth(i);
    if ((await form.getAttribute('method') || 'get').toLowerCase() !== 'post') continue;
    postForms++;
    const urlBefore = page.url();
    for (const box of await form.locator('textarea').all()) {
      await box.click({ force: true }).catch(() => {});
      await page.keyboard.type('should not arrive');
      assert.equal(await box.inputValue(), '', `${where}: typing reached a textarea of a preview form`);
    }
    for (const button of await form.locator('button[type=submit], input[type=submit], button:not([type])').all()) {
      // Neither the keyboard (focus) nor the mouse (a click where the button is) reaches it.
      assert.equal(await button.evaluate((b) => { b.focus(); return document.activeElement === b; }), false,
        `${where}: a preview form button takes the keyboard focus`);
      await button.click({ force: true, timeout: 2000 }).catch(() => {});
    }
    await page.waitForTimeout(300);
    assert.equal(page.url(), urlBefore, `${where}: a preview form navigated`);
  }
  page.off('request', onRequest);
  assert.deepEqual(posts, [], `${where}: the preview sent form data`);
  return postForms;
}

test('preview as customer: bannered, the same orders the customer sees, no working form', async () => {
  await withPage('preview', await asManager(), async (page) => {
    // carol: a consolidated account, two pages in "All".
    await openPreview(page, 'carol');
    await shot(page, 'admin-preview');
    const previewed = await allRefs(page, '.pqm-preview-frame');
    assert.ok(new URL(page.url()).searchParams.get('page') === 'pqm-preview', 'paging left the preview');
    assert.ok(previewed.length > 10, `carol's preview lists ${previewed.length} orders, expected two pages`);

    const carol = await openPage();
    await withPage('preview-carol', carol, async (cp) => {
      await loginThroughForm(cp, 'carol');
      const own = await allRefs(cp, '.pqm-panel');
      assert.deepEqual(previewed, own, 'the preview lists other orders than carol sees herself');
    });

    // alice's order with a pending approval: message, approve, request
    // changes and upload forms are shown but none of them works.
    await openPreview(page, 'alice');
    await clickAndWait(page, page.locator('.pqm-preview-frame nav.pqm-views a[data-view=all]'), /pqm_view=all/);
    let card = page.locator('.pqm-preview-frame article.pqm-order[data-ref="PQ-1018"]');
    if (!(await card.count())) {
      await clickAndWait(page, page.locator('.pqm-preview-frame a[rel=next]'), /pqm_page=2/);
      card = page.locator('.pqm-preview-frame article.pqm-order[data-ref="PQ-1018"]');
    }
    await clickAndWait(page, card.locator('a.pqm-order__link'), (u) => u.searchParams.get('pqm_order') === 'PQ-1018');
    assert.equal(new URL(page.url()).searchParams.get('page'), 'pqm-preview', 'the order link left the preview');
    assert.equal(await page.locator('.pqm-preview-frame .pqm-order-detail[data-ref="PQ-1018"]').count(), 1);
    for (const sel of ['form.pqm-message-form', 'form.pqm-decide-form--approve', 'form.pqm-decide-form--changes', 'form.pqm-upload']) {
      assert.equal(await page.locator(`.pqm-preview-frame ${sel}`).count(), 1, `the preview does not show ${sel} as alice sees it`);
    }
    await shot(page, 'admin-preview-detail');
    const n = await assertNoWorkingForm(page, 'alice PQ-1018');
    assert.ok(n >= 4, `only ${n} POST forms checked`);
  });
});

test('preview does not mark the customer\'s new messages read', async () => {
  const ref = REF('M');
  const bea = await openPage();
  await withPage('preview-unread', bea, async (cp) => {
    await loginThroughForm(cp, fx.login);
    const unread = cp.locator(`article.pqm-order[data-ref="${ref}"] .pqm-unread`);
    assert.equal(await unread.count(), 1, `${fx.login} has no "New messages" on ${ref} before the preview`);
    const mgr = await asManager();
    await withPage('preview-unread-manager', mgr, async (page) => {
      await openPreview(page, fx.login);
      await clickAndWait(page, page.locator(`.pqm-preview-frame article.pqm-order[data-ref="${ref}"] a.pqm-order__link`), /pqm_order=/);
      assert.match(await page.locator('.pqm-preview-frame ol.pqm-thread').innerText(), new RegExp(`Your proof ${TAG} is ready`));
    });
    await cp.reload();
    assert.equal(await unread.count(), 1, `after the manager's preview ${fx.login} no longer sees "New messages" on ${ref}`);
  });
});

// ------------------------------------------------------------------ phone width

test('Orders list at 360 px: the row toggle reveals the hidden columns', async () => {
  await withPage('orders-360', await asManager(VIEWPORTS.mobile), async (page) => {
    await page.goto(ORDERS);
    const row = rows(page).first();
    const ref = (await row.locator('a.pqm-order-link').innerText()).trim();
    assert.ok(await row.locator('a.pqm-order-link').isVisible(), 'reference link not visible at 360 px');
    for (const col of ['account', 'status', 'promised', 'created']) {
      assert.equal(await row.locator(`td.column-${col}`).isVisible(), false, `column ${col} shown collapsed at 360 px`);
    }
    const toggle = row.locator('button.toggle-row');
    assert.equal(await toggle.count(), 1, 'each row has one "Show more details" toggle');
    assert.ok(await toggle.isVisible(), 'no row toggle at 360 px');
    // The search box stays above the list (not under the New order form).
    const [searchBox, table, newOrder] = await Promise.all(['p.search-box', 'table.wp-list-table', 'form.pqm-order-create']
      .map((sel) => page.locator(`.pqm-orders-screen ${sel}`).boundingBox()));
    assert.ok(searchBox.y + searchBox.height <= table.y && searchBox.y < newOrder.y, `search box not above the list at 360 px (search y ${searchBox.y}, list y ${table.y})`);
    assert.ok(searchBox.x >= 0 && searchBox.x + searchBox.width <= VIEWPORTS.mobile.width, 'search box wider than the screen');
    const [sw, iw] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
    assert.ok(sw <= iw, `the Orders screen scrolls sideways at 360 px (scrollWidth ${sw})`);
    await shot(page, 'admin-orders-360');
    await toggle.click();
    assert.match(await row.getAttribute('class'), /\bis-expanded\b/);
    for (const col of ['account', 'status', 'promised', 'created']) {
      assert.ok(await row.locator(`td.column-${col}`).isVisible(), `toggle did not reveal ${col}`);
    }
    assert.match(await row.locator('td.column-status').innerText(), /Customer sees:/);
    const box = await row.locator('td.column-status').boundingBox();
    assert.ok(box.x >= 0 && box.x + box.width <= VIEWPORTS.mobile.width, `revealed status cell outside the screen (${JSON.stringify(box)})`);
    await shot(page, 'admin-orders-360-expanded');
    await toggle.click();
    assert.equal(await row.locator('td.column-status').isVisible(), false, 'second tap does not collapse the row');
    // The reference still opens the order.
    await clickAndWait(page, row.locator('a.pqm-order-link'), (u) => u.searchParams.get('order') === ref);
    assert.equal(await page.locator('h1[data-ref]').getAttribute('data-ref'), ref);
  });
});
