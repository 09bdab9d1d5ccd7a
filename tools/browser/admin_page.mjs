#!/usr/bin/env node
// Plays an operator on Meshgate's admin page in headless Chromium: waits for a lobby to be listed, tries to close it
// without the token (the server must refuse), then with it, and looks at the page as a phone would. Prints one JSON
// object per step on stdout; takes screenshots for a person to look at (never kept in the repository).
//   node admin_page.mjs --url http://127.0.0.1:9081/ --token TOKEN --lobby NAME [--screenshots DIR]
import { chromium } from 'playwright-core';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < argv.length ? argv[at + 1] : fallback;
};
const url = option('url', 'http://127.0.0.1:9081/');
const token = option('token', '');
const lobby = option('lobby', '');
const screenshots = option('screenshots', null);
const report = (event) => process.stdout.write(`${JSON.stringify(event)}\n`);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync',
    '--no-first-run'],
});
const console = [];
let phase = 'load';
try {
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  page.on('console', (message) => console.push({ phase, type: message.type(), text: message.text() }));
  page.on('pageerror', (error) => console.push({ phase, type: 'pageerror', text: String(error) }));
  page.on('dialog', (dialog) => dialog.accept()); // the page asks before every action
  await page.goto(url);
  const row = page.locator('#lobbies tr.lobby').filter({ has: page.locator('td.name', { hasText: lobby }) });
  await row.waitFor({ timeout: 15000 });
  report({ event: 'listed', cells: await row.locator('td').allTextContents() });
  if (screenshots) await page.screenshot({ path: `${screenshots}/admin-desktop.png`, fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  report({ event: 'phone', overflowPixels: overflow });
  if (screenshots) await page.screenshot({ path: `${screenshots}/admin-phone.png`, fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });

  phase = 'without token';
  await page.fill('#token', '');
  await row.getByRole('button', { name: 'Close' }).click();
  await page.waitForFunction(() => document.querySelector('#status').textContent.includes('Refused'), null,
    { timeout: 10000 });
  report({ event: 'refused', status: await page.textContent('#status') });

  phase = 'with token';
  await page.fill('#token', token);
  await row.getByRole('button', { name: 'Close' }).click();
  await page.waitForFunction(() => /done|closed|failed|not/.test(document.querySelector('#status').textContent),
    null, { timeout: 10000 });
  report({ event: 'closed', status: await page.textContent('#status') });
  await row.waitFor({ state: 'detached', timeout: 10000 });
  report({ event: 'unlisted' });
} catch (error) {
  report({ event: 'error', message: String(error) });
} finally {
  report({ event: 'console', messages: console });
  await browser.close();
}
