// End-to-end tests of the clinician web app (issue 5) in headless Chromium against the release
// binary: the app is the one embedded in the binary, the data is the server's demo data plus what
// these tests enter. Scenarios run in order on one server (each builds on the previous one):
//   1. assess a case: recommendation and its reasons, server messages beside fields
//   2. save it as an episode and find it on the worklist
//   3. record an extension and see "anticoagulate now"
//   4. log a procedure squeeze by squeeze, record its outcome, and see the registry change
// plus keyboard-only use of the assess form, an axe-core WCAG 2 AA scan of every page, the print
// view, static-file serving, and screenshots of every page at 1366x900 and 820x1180
// (tests/e2e/artifacts/).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { axe, DESKTOP, launch, shoot } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';

let server, browser, context, page;
const pageErrors = [];
const violations = {};

before(async () => {
  server = await startServer();
  browser = await launch();
  context = await browser.newContext({ viewport: DESKTOP });
  page = await context.newPage();
  page.on('pageerror', (e) => pageErrors.push(e.message));
  // Content-Security-Policy violations and failed asset loads show up as console errors.
  page.on('console', (m) => { if (m.type() === 'error' && !/status of (400|404|409|422)/.test(m.text())) pageErrors.push(m.text()); });
  page.setDefaultTimeout(10000);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

const go = async (hash) => {
  await page.goto(`${server.url}/${hash}`);
  await page.locator('main h1').first().waitFor();
};
async function checkA11y(name) {
  const v = await axe(page);
  violations[name] = v;
  const serious = v.filter((x) => x.impact === 'serious' || x.impact === 'critical');
  assert.deepEqual(serious, [], `${name}: WCAG 2 AA violations (axe-core)`);
}
const result = () => page.locator('.result-panel');

describe('web app', () => {
  test('static files: index.html no-cache, hashed assets immutable, traversal refused', async () => {
    const index = await fetch(`${server.url}/`);
    assert.equal(index.status, 200);
    assert.match(index.headers.get('content-type'), /^text\/html/);
    assert.equal(index.headers.get('cache-control'), 'no-cache');
    const html = await index.text();
    const js = html.match(/\/assets\/[^"]+\.js/)[0];
    const asset = await fetch(server.url + js);
    assert.equal(asset.status, 200);
    assert.match(asset.headers.get('content-type'), /^text\/javascript/);
    assert.match(asset.headers.get('cache-control'), /immutable/);
    for (const bad of ['/assets/..%2Findex.html', '/assets/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd', '/assets/nope.js', '/..%2F..%2Fetc%2Fpasswd']) {
      assert.equal((await fetch(server.url + bad)).status, 404, bad);
    }
  });

  test('1. assess a case: the recommendation and its reasons, live', async () => {
    await go('#/assess');
    const load = await page.evaluate(() => performance.getEntriesByType('navigation')[0].loadEventEnd);
    console.log(`assess page loaded in ${Math.round(load)} ms`);
    assert.ok(load < 3000, `the app loads fast (${load} ms)`);
    await page.getByLabel('Protocol').selectOption('whole_leg_duplex');
    const vein = page.getByLabel('Vein (thrombus 1)');
    await vein.selectOption('peroneal');
    await page.getByLabel('Leg', { exact: true }).selectOption('left');
    await page.getByLabel('Length (cm)').fill('-1');
    // The server's own message appears beside the field its JSON path names.
    const lengthErr = page.locator('#f-imaging-thrombi-0-length_cm-err');
    await lengthErr.waitFor();
    assert.match(await lengthErr.innerText(), /greater than 0/);
    assert.equal(await page.getByLabel('Length (cm)').getAttribute('aria-invalid'), 'true');

    await page.getByLabel('Length (cm)').fill('6.2');
    await page.getByLabel('Maximum diameter (mm)').fill('6');
    await page.getByLabel('Distance to popliteal vein (cm)').fill('12');
    await page.getByLabel('D-dimer value').fill('1250');
    await page.getByLabel('Laboratory cut-off').fill('500');
    await page.getByLabel('Active cancer').selectOption('true');
    await page.getByLabel('Bleeding risk', { exact: true }).selectOption('low');
    await lengthErr.waitFor({ state: 'detached' });
    // Wait for the answer to the last input (debounced live assessment), then read it.
    await result().locator('tr[data-feature=d_dimer_positive]', { hasText: 'present' }).waitFor();
    await result().locator('tr[data-feature=active_cancer]', { hasText: 'present' }).waitFor();
    await result().locator('p', { hasText: 'Bleeding risk: low' }).waitFor();
    await page.locator('[data-testid=recommendation]', { hasText: 'Anticoagulate' }).waitFor();
    const rows = result().locator('[data-testid=features] tbody tr');
    const length = rows.filter({ hasText: 'Thrombus length over 5 cm' });
    assert.match(await length.innerText(), /present/i);
    assert.match(await length.innerText(), /6\.2/);
    assert.match(await rows.filter({ hasText: 'Active cancer' }).innerText(), /present/i);
    assert.match(await rows.filter({ hasText: 'Positive D-dimer' }).innerText(), /present/i);
    assert.match(await rows.filter({ hasText: 'History of prior VTE' }).innerText(), /unknown/i);
    assert.match(await result().locator('[data-testid=regimen]').innerText(), /Earliest stop|First review/);
    assert.match(await result().locator('[data-testid=knowledge]').innerText(), /distal-dvt/);
    await result().getByText('Evidence', { exact: true }).waitFor();
    // Bleeding risk from the 17 factors instead of the category: the server scores them.
    await page.getByLabel('The 17 risk factors').check();
    await page.getByLabel('Age over 75').check();
    await result().locator('p', { hasText: 'Bleeding risk: high' }).waitFor();
    await page.getByLabel('Category', { exact: true }).check();
    await result().locator('p', { hasText: 'Bleeding risk: low' }).waitFor();
    await shoot(page, 'assess-anticoagulate');
    await checkA11y('assess');

    // Print view of the assessment: the form and navigation are hidden, the result stays.
    await page.emulateMedia({ media: 'print' });
    assert.equal(await page.locator('.assess-form').isVisible(), false);
    assert.equal(await result().locator('[data-testid=recommendation]').isVisible(), true);
    await page.screenshot({ path: new URL('./artifacts/assess-print.png', import.meta.url).pathname, fullPage: true });
    await page.pdf?.({ path: new URL('./artifacts/assess-print.pdf', import.meta.url).pathname }).catch(() => {});
    await page.emulateMedia({ media: 'screen' });
  });

  test('2. save a low-risk case as an episode and find it on the worklist', async () => {
    // Same form, now a small muscular-vein thrombus without risk factors: serial imaging.
    await page.getByLabel('Vein (thrombus 1)').selectOption('gastrocnemius_medial');
    await page.getByLabel('Length (cm)').fill('3');
    await page.getByLabel('Maximum diameter (mm)').fill('5');
    await page.getByLabel('Distance to popliteal vein (cm)').fill('8');
    await page.getByLabel('D-dimer value').fill('300');
    await page.getByLabel('Active cancer').selectOption('false');
    for (const l of ['Prior VTE', 'Inpatient', 'Recent hospitalization', 'Recent surgery', 'Severe symptoms', 'COVID-19'])
      await page.getByLabel(l, { exact: true }).selectOption('false');
    await page.getByLabel('Provocation').selectOption('transient');
    await page.locator('[data-testid=strategy]', { hasText: 'serial imaging' }).waitFor();
    const plan = await result().locator('[data-testid=surveillance]').innerText();
    assert.match(plan, /Day 7/);
    assert.match(plan, /Day 14/);
    await shoot(page, 'assess-serial-imaging');

    await page.getByLabel('Patient identifier').fill('E2E-001');
    await page.getByRole('button', { name: 'Save as episode' }).click();
    await page.waitForURL(/#\/episode\//);
    await page.locator('h1', { hasText: 'Episode: E2E-001' }).waitFor();
    await page.locator('[data-scan="7"]').waitFor();

    await page.getByRole('link', { name: 'Worklist' }).click();
    await page.locator('[data-testid=worklist]').waitFor();
    const row = page.locator('[data-testid=worklist] tbody tr[data-patient="E2E-001"]', { hasText: 'Day-7 duplex' }).first();
    await row.waitFor();
    assert.match(await row.innerText(), /Day-7 duplex/);
    assert.match(await row.innerText(), /upcoming/i);
    // Counts beside the filters; the demo data has overdue and due scans too.
    assert.ok(Number(await page.locator('[data-testid=count-upcoming]').innerText()) >= 1);
    assert.ok(Number(await page.locator('[data-testid=count-overdue]').innerText()) >= 1);
    // Urgency order: alerts, then overdue, due, upcoming (the server's order).
    const kinds = await page.locator('[data-testid=worklist] tbody tr td:first-child .badge').allInnerTexts();
    const rank = { ALERT: 0, OVERDUE: 1, DUE: 2, UPCOMING: 3 };
    const ranks = kinds.map((k) => rank[k.trim().toUpperCase()]);
    assert.deepEqual(ranks, [...ranks].sort((a, b) => a - b), `urgency order: ${kinds}`);
    await shoot(page, 'worklist');
    await checkA11y('worklist');
    // A chosen date: 10 days on, the day-7 scan is overdue.
    const later = new Date(Date.now() + 10 * 86400000);
    const iso = `${later.getFullYear()}-${String(later.getMonth() + 1).padStart(2, '0')}-${String(later.getDate()).padStart(2, '0')}`;
    await page.getByLabel('As of').fill(iso);
    await page.locator('[data-testid=worklist] caption', { hasText: iso }).waitFor();
    assert.match(await page.locator('[data-testid=worklist] tbody tr[data-patient="E2E-001"]', { hasText: 'Day-7 duplex' }).first().innerText(), /overdue/i);
    await page.getByLabel('As of').fill(new Date().toLocaleDateString('en-CA'));
  });

  test('3. record an extension and see "anticoagulate now"', async () => {
    const row = page.locator('[data-testid=worklist] tbody tr[data-patient="E2E-001"]', { hasText: 'Day-7 duplex' }).first();
    await row.waitFor();
    await row.getByRole('button', { name: 'Record result for day 7' }).click();
    await row.getByRole('combobox', { name: 'Result' }).selectOption('extended_distal');
    await row.getByRole('button', { name: 'Save result' }).click();
    await page.locator('.banner-ok', { hasText: 'E2E-001' }).waitFor();
    assert.match(await page.locator('.banner-ok').innerText(), /Anticoagulate/);

    await page.locator('[data-testid=worklist] tbody tr[data-patient="E2E-001"] a').first().click();
    await page.locator('[data-testid=reassessed]').waitFor();
    assert.match(await page.locator('[data-testid=reassessed]').innerText(), /anticoagulate now/);
    assert.match(await page.locator('.alerts').first().innerText(), /start anticoagulation immediately/i);
    assert.match(await page.locator('[data-testid=phase]').innerText(), /treatment/);
    const timeline = await page.locator('[data-testid=timeline]').innerText();
    assert.match(timeline, /assessment/i);
    assert.match(timeline, /re-assessment/i);
    assert.match(timeline, /result, day 7, result extended distal/i);
    await page.locator('[data-testid=audit] tbody tr', { hasText: 'event.scan_result' }).waitFor();
    await shoot(page, 'episode');
    await checkA11y('episode');

    // Cancel a scan with a reason from the worklist (demo patient DEMO-003, day 14).
    await go('#/worklist');
    const demo = page.locator('[data-testid=worklist] tbody tr[data-patient="DEMO-003"]', { hasText: 'Day-14 duplex' }).first();
    await demo.getByRole('button', { name: 'Cancel scan day 14' }).click();
    await demo.getByRole('button', { name: 'Cancel the scan' }).click();
    await demo.locator('.field.invalid', { hasText: 'Reason' }).locator('.field-error').waitFor(); // the server requires a reason
    await demo.getByLabel('Reason').fill('resolved on CT venography');
    await demo.getByLabel('Completes surveillance').selectOption('true');
    await demo.getByRole('button', { name: 'Cancel the scan' }).click();
    await page.locator('.banner-ok', { hasText: 'DEMO-003' }).waitFor();
    // The worklist reloads: the cancelled scan leaves it.
    await page.locator('[data-testid=worklist] tbody tr[data-patient="DEMO-003"]', { hasText: 'Day-14 duplex' }).first().waitFor({ state: 'detached' });

    // The patient page lists the episode.
    await go('#/patient/E2E-001');
    await page.getByRole('link', { name: /anticoagulate/ }).first().waitFor();
    await shoot(page, 'patient');
  });

  test('4. log a procedure squeeze by squeeze and see the registry change', async () => {
    await go('#/registry');
    await page.locator('[data-testid=registry-summary]').waitFor();
    const before = Number(await page.locator('[data-testid=reg-procedures]').innerText());
    const squeezesBefore = Number(await page.locator('[data-testid=reg-squeezes]').innerText());
    const kOfN = async () => (await page.locator('[data-testid=proportions] tbody tr', { hasText: 'Proximal migration' }).locator('td').first().innerText()).split('/').map(Number);
    const [k0, n0] = await kOfN();

    await page.getByRole('link', { name: 'Procedures' }).click();
    await page.getByRole('link', { name: 'New procedure' }).click();
    await page.locator('h1', { hasText: 'New calf-squeeze procedure' }).waitFor();
    await page.getByRole('button', { name: 'Start procedure' }).click();
    // Server validation beside the fields: patient and leg are required.
    await page.locator('#f-patient_id-err').waitFor();
    await shoot(page, 'procedure-new');
    await checkA11y('procedure-new');
    await page.getByLabel('Patient identifier').fill('E2E-P1');
    await page.getByRole('combobox', { name: 'Leg', exact: true }).selectOption('left');
    await page.getByLabel('Operator').fill('op-e2e');
    const indication = page.locator('fieldset', { has: page.locator('legend', { hasText: 'Thrombosed veins' }) });
    for (const v of ['Popliteal', 'Femoral', 'Common iliac', 'Posterior tibial']) await indication.getByLabel(v, { exact: true }).check();
    await page.getByRole('button', { name: 'Start procedure' }).click();
    await page.waitForURL(/#\/procedure\//);
    await page.locator('[data-testid=checks]').waitFor();
    // No IVC filter recorded: the hard warning is shown at once.
    assert.equal(await page.locator('[data-check=no_embolic_protection]').getAttribute('data-status'), 'fired');
    assert.equal(await page.locator('[data-check=squeezes_beyond_published]').getAttribute('data-status'), 'not_fired');

    const targets = page.locator('.squeeze-form fieldset');
    for (let i = 1; i <= 4; i++) {
      await targets.getByLabel('Popliteal', { exact: true }).check();
      if (i === 1) await targets.getByLabel('Medial gastrocnemius').check();
      await page.getByRole('radiogroup', { name: 'Proximal migration observed' }).getByLabel(i === 3 ? 'No' : 'Yes', { exact: true }).check();
      await page.getByRole('radiogroup', { name: 'Thrombus aspirated' }).getByLabel('Yes', { exact: true }).check();
      await page.getByRole('button', { name: `Log squeeze ${i}` }).click();
      await page.locator('[data-testid=squeeze-count]', { hasText: String(i) }).waitFor();
      await targets.getByLabel('Popliteal', { exact: true }).uncheck();
      if (i === 1) await targets.getByLabel('Medial gastrocnemius').uncheck();
    }
    assert.equal(await page.locator('[data-testid=squeeze-log] li').count(), 4);
    // The fourth squeeze goes beyond the published experience (1-3): the warning arises.
    await page.locator('[data-check=squeezes_beyond_published][data-status=fired]').waitFor();
    assert.match(await page.locator('[role=status]').innerText(), /Squeeze 4 logged/);
    await shoot(page, 'procedure-live');
    await checkA11y('procedure-live');

    // A second procedure recorded afterwards, with its result and no complication: the registry's
    // recanalization and complication rates get data.
    await page.getByRole('link', { name: 'Procedures' }).click();
    await page.getByRole('link', { name: 'New procedure' }).click();
    await page.getByLabel('Patient identifier').fill('E2E-P2');
    await page.getByRole('combobox', { name: 'Leg', exact: true }).selectOption('right');
    await page.getByLabel('Operator').fill('op-e2e');
    const ind2 = page.locator('fieldset', { has: page.locator('legend', { hasText: 'Thrombosed veins' }) });
    for (const v of ['Popliteal', 'Common femoral']) await ind2.getByLabel(v, { exact: true }).check();
    await page.getByLabel('IVC filter').selectOption('temporary');
    await page.getByLabel('Antegrade flow restored').selectOption('true');
    await page.getByLabel('Residual thrombus (%)').fill('10');
    await page.getByLabel('No complication').check();
    await page.getByRole('button', { name: 'Start procedure' }).click();
    await page.waitForURL(/#\/procedure\//);
    await page.locator('h1', { hasText: 'E2E-P2' }).waitFor();
    assert.equal(await page.locator('[data-check=no_embolic_protection]').getAttribute('data-status'), 'not_fired');
    await page.locator('.squeeze-form fieldset').getByLabel('Popliteal', { exact: true }).check();
    await page.getByRole('radiogroup', { name: 'Proximal migration observed' }).getByLabel('Yes', { exact: true }).check();
    await page.getByRole('button', { name: 'Log squeeze 1' }).click();
    await page.locator('[data-testid=squeeze-count]', { hasText: '1' }).waitFor();
    assert.match(await page.locator('[data-testid=outcomes]').innerText(), /Recanalization\s+yes/);

    await page.getByRole('link', { name: 'Procedures' }).click();
    await page.locator('[data-testid=procedures] tbody tr', { hasText: 'E2E-P1' }).first().waitFor();
    await shoot(page, 'procedures');
    await page.getByRole('link', { name: 'Registry' }).first().click();
    await page.locator('[data-testid=registry-summary]').waitFor();
    await page.locator('[data-testid=reg-procedures]', { hasText: String(before + 2) }).waitFor();
    assert.equal(Number(await page.locator('[data-testid=reg-squeezes]').innerText()), squeezesBefore + 5);
    const migration = page.locator('[data-testid=proportions] tbody tr', { hasText: 'Proximal migration' });
    assert.deepEqual(await kOfN(), [k0 + 2, n0 + 2], 'two more procedures with a squeeze, migration observed');
    const recan = await page.locator('[data-testid=proportions] tbody tr', { hasText: 'Recanalization' }).innerText();
    assert.match(recan, /1\/1/, 'the procedure recorded with its result counts');
    assert.match(recan, /10\/10/);
    assert.match(await migration.innerText(), /10\/10/);
    assert.equal(await page.locator('svg.chart').count(), 2);
    // CSV export: the server's own rendering.
    const csv = await page.evaluate(async (href) => (await fetch(href)).text(), await page.locator('[data-testid=csv]').getAttribute('href'));
    assert.match(csv, /^group,item,k,n/);
    assert.match(csv, /summary,procedures,,,,2/);
    await page.getByLabel('Operator').fill('nobody');
    await page.getByLabel('Operator').press('Enter');
    await page.getByLabel('From').focus();
    await page.locator('[data-testid=reg-procedures]', { hasText: '0' }).waitFor();
    await page.getByLabel('Operator').fill('');
    await page.getByLabel('From').focus();
    await page.locator('[data-testid=reg-procedures]', { hasText: String(before + 2) }).waitFor();
    await shoot(page, 'registry');
    await checkA11y('registry');

    // At the end of the live procedure E2E-P1 the operator records its outcome: its recanalization
    // is no longer unknown and the registry counts it.
    const recanRow = () => page.locator('[data-testid=proportions] tbody tr', { hasText: 'Recanalization' });
    const recanUnknown = Number(await recanRow().locator('td').nth(1).innerText());
    await page.getByRole('link', { name: 'Procedures' }).click();
    await page.locator('[data-testid=procedures] tbody tr', { hasText: 'E2E-P1' }).getByRole('link', { name: 'E2E-P1' }).click();
    await page.locator('h1', { hasText: 'E2E-P1' }).waitFor();
    const outcomes = () => page.locator('[data-testid=outcomes]').innerText();
    assert.match(await outcomes(), /Recanalization\s+unknown/);
    const form = page.locator('[data-testid=outcome-form]');
    await form.getByLabel('Antegrade flow restored').selectOption('true');
    await form.getByLabel('Residual thrombus (%)').fill('120');
    await form.getByLabel('No complication').check();
    await form.getByRole('button', { name: 'Record outcome' }).click();
    // The server's message beside the field its path names; nothing recorded.
    await page.locator('#f-result-residual_thrombus_percent-err').waitFor();
    assert.equal(await form.getByLabel('Residual thrombus (%)').getAttribute('aria-invalid'), 'true');
    assert.match(await outcomes(), /Recanalization\s+unknown/);
    await form.getByLabel('Residual thrombus (%)').fill('20');
    await form.getByRole('button', { name: 'Record outcome' }).click();
    await page.waitForFunction(() => /Recanalization\s+yes/.test(document.querySelector('[data-testid=outcomes]').innerText));
    assert.match(await page.locator('[role=status]').innerText(), /Outcome recorded/);
    assert.match(await outcomes(), /Removal\s+80% \(grade II\)/);
    assert.match(await outcomes(), /Complication\s+no/);
    assert.equal(await page.locator('#f-result-residual_thrombus_percent-err').count(), 0);
    await page.locator('[data-testid=procedure-audit] tbody tr', { hasText: 'procedure.outcome' }).waitFor();
    assert.match(await page.locator('[data-testid=procedure-audit] tbody tr', { hasText: 'procedure.outcome' }).innerText(), /residual thrombus 20%.*replaced: result not recorded; complications not recorded/s);
    // Recorded: the form now offers a correction.
    await form.getByRole('button', { name: 'Save corrected outcome' }).waitFor();
    await shoot(page, 'procedure-outcome');
    await checkA11y('procedure-outcome');
    await go('#/registry');
    await page.locator('[data-testid=reg-procedures]', { hasText: String(before + 2) }).waitFor();
    assert.match(await recanRow().innerText(), /2\/2/, 'the live procedure now counts');
    assert.equal(Number(await recanRow().locator('td').nth(1).innerText()), recanUnknown - 1);
  });

  test('the assess form works with the keyboard alone', async () => {
    await page.goto(`${server.url}/#/assess`);
    await page.reload();
    await page.locator('main h1').waitFor();
    // Tab from the top: skip link, navigation, then the form's controls in clinical order, each
    // with an accessible name and a visible focus indicator.
    const seen = [];
    for (let i = 0; i < 24; i++) {
      await page.keyboard.press('Tab');
      seen.push(await page.evaluate(() => {
        const el = document.activeElement;
        const id = el.id;
        const label = (id && document.querySelector(`label[for="${id}"]`)?.textContent) || el.getAttribute('aria-label') || el.textContent;
        const style = getComputedStyle(el);
        return { tag: el.tagName, id, label: (label || '').trim(), outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
      }));
    }
    for (const s of seen) {
      assert.ok(s.label, `focusable ${s.tag}#${s.id} has a name`);
      assert.ok(s.outline, `focus is visible on ${s.tag}#${s.id}`);
    }
    const ids = seen.map((s) => s.id).filter(Boolean);
    const order = ['f-as_of', 'f-imaging-date', 'f-imaging-protocol', 'f-imaging-thrombi-0-vein', 'f-imaging-thrombi-0-length_cm'];
    const pos = order.map((id) => ids.indexOf(id));
    assert.ok(pos.every((p) => p >= 0), `reached ${order} (got ${ids})`);
    assert.deepEqual(pos, [...pos].sort((a, b) => a - b), 'clinical order');

    // Fill a case with keys only.
    await page.focus('#f-imaging-protocol');
    await page.keyboard.press('ArrowDown'); // whole-leg duplex, the first protocol
    await page.focus('#f-imaging-thrombi-0-vein');
    await page.keyboard.press('ArrowDown'); // the first vein
    await page.keyboard.press('Tab');       // leg
    await page.keyboard.press('Tab');       // acute
    await page.keyboard.press('Tab');       // length
    await page.keyboard.type('7');
    await page.locator('[data-testid=features] tr[data-feature=length_over_5cm]', { hasText: 'present' }).waitFor();
    // Decisive unknowns are buttons that take the keyboard to the field.
    const chip = page.locator('[data-testid=decisive-unknowns] button').first();
    if (await chip.count()) {
      await chip.focus();
      const path = await chip.innerText();
      await page.keyboard.press('Enter');
      const active = await page.evaluate(() => document.activeElement.id);
      assert.ok(active.startsWith('f-'), `focus moved to the field for ${path} (${active})`);
    }
    await shoot(page, 'assess-keyboard');
  });

  test('no script errors; accessibility summary', () => {
    assert.deepEqual(pageErrors, []);
    for (const [name, v] of Object.entries(violations))
      if (v.length) console.log(`axe ${name}: ${v.map((x) => `${x.id}(${x.impact})`).join(', ')}`);
  });
});
