#!/usr/bin/env node
// Plays godot-demo's lobby screen as a person would, in headless Chromium with software WebGL: opens the page,
// clicks Quick play, holds ArrowDown for a second, and takes a screenshot. Prints the engine's console lines.
//   node ui_check.mjs --url http://host:port/play/ [--screenshot FILE]
import { chromium } from 'playwright-core';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < argv.length ? argv[at + 1] : fallback;
};
const url = option('url', 'http://127.0.0.1:9080/play/');
const screenshot = option('screenshot', null);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist',
    '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
    '--disable-features=WebRtcHideLocalIpsWithMdns', '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream'],
});
const context = await browser.newContext({ viewport: { width: 960, height: 540 } });
await context.grantPermissions(['microphone']);
const page = await context.newPage();
page.on('console', (message) => process.stdout.write(`console: ${message.text()}\n`));
page.on('pageerror', (error) => process.stdout.write(`console: PAGE-ERROR ${error}\n`));
await page.addInitScript(() => navigator.mediaDevices?.getUserMedia({ audio: true })
  .then((s) => s.getTracks().forEach((t) => t.stop())).catch(() => {}));
await page.goto(url);
await page.waitForFunction(() => document.querySelector('canvas')?.width > 0, null, { timeout: 30000 });
await page.waitForTimeout(4000); // the engine boots; nothing to wait on from outside the canvas
process.stdout.write('UI: click Quick play\n');
await page.mouse.click(185, 308); // the Quick play button of the lobby panel's Play tab
await page.waitForTimeout(3000);
process.stdout.write('UI: hold ArrowDown\n');
await page.keyboard.down('ArrowDown');
await page.waitForTimeout(1000);
await page.keyboard.up('ArrowDown');
await page.waitForTimeout(300);
if (screenshot) await page.screenshot({ path: screenshot });
process.stdout.write('UI: done\n');
await browser.close();
