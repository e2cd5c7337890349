// Debian's chromium (/usr/bin/chromium) driven by playwright-core: never a downloaded browser.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const ARTIFACTS = new URL('../artifacts/', import.meta.url).pathname;
export const DESKTOP = { width: 1366, height: 900 };
export const TABLET = { width: 820, height: 1180 };

export async function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

// Full-page screenshots of the current page at desktop and tablet width:
// artifacts/<name>-desktop.png and artifacts/<name>-tablet.png.
export async function shoot(page, name) {
  mkdirSync(ARTIFACTS, { recursive: true });
  const before = page.viewportSize();
  for (const [label, size] of [['desktop', DESKTOP], ['tablet', TABLET]]) {
    await page.setViewportSize(size);
    await page.waitForTimeout(150);
    await page.screenshot({ path: join(ARTIFACTS, `${name}-${label}.png`), fullPage: true });
  }
  await page.setViewportSize(before);
}

const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// axe-core's WCAG 2.x A/AA rules on the current page; returns the violations.
export async function axe(page) {
  await page.evaluate(AXE); // evaluated over CDP: the app's Content-Security-Policy stays on
  return page.evaluate(async () => {
    const r = await window.axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => n.target.join(' ')) }));
  });
}
