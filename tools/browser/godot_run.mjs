#!/usr/bin/env node
// Runs a Godot 4 .pck in the official web runtime inside headless Chromium, printing the engine's output lines.
//   node godot_run.mjs --runtime DIR --pck FILE [--marker TEXT] [--timeout MS] [--tabs N] [-- engine user args...]
//   node godot_run.mjs --page URL [--marker TEXT] [--timeout MS] [--tabs N]     (a page that starts the engine itself)
// With --rtc-report, each WebRTC connection the page makes prints, once connected, the candidate pair ICE selected:
//   RTC-PAIR|<n>|local=<type>|remote=<type>|<local address:port>-><remote address:port>   (types: host, srflx, relay)
// The runtime directory holds index.js and index.wasm (tools/godot4-runtime.sh). Each of --tabs pages runs the game;
// lines are prefixed with "[tab N +Tms] ", T counted from the page's navigation. With --marker, exits 0 once every tab
// printed it; exits 1 on timeout.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const argv = process.argv.slice(2);
const split = argv.indexOf('--');
const own = split >= 0 ? argv.slice(0, split) : argv;
const userArgs = split >= 0 ? argv.slice(split + 1) : [];
const option = (name, fallback) => {
  const at = own.indexOf(`--${name}`);
  return at >= 0 && at + 1 < own.length ? own[at + 1] : fallback;
};
const runtime = option('runtime', null);
const pck = option('pck', null);
const external = option('page', null);
const marker = option('marker', null);
const timeout = Number(option('timeout', '60000'));
const tabs = Number(option('tabs', '1'));
const rtcReport = own.includes('--rtc-report');
if (!external && (!runtime || !pck)) {
  console.error('usage: godot_run.mjs --runtime DIR --pck FILE [--marker TEXT] [--timeout MS] [--tabs N] [-- args]');
  process.exit(2);
}

// A headless engine must get a 0x0 canvas: any other size makes the web main loop call the wrong display server.
const page = `<!doctype html><html><body style="margin:0"><canvas id="canvas" width="0" height="0"></canvas>
<script src="index.js"></script><script>
const engine = new Engine({ executable: 'index', mainPack: 'game.pck', canvas: document.getElementById('canvas'),
  canvasResizePolicy: 0, args: ['--headless', '--', ...${JSON.stringify(userArgs)}] });
engine.startGame().catch((e) => console.error('GODOT-START-FAILED ' + e));
</script></body></html>`;
const types = { '.js': 'text/javascript', '.wasm': 'application/wasm', '.pck': 'application/octet-stream' };
const server = http.createServer((request, response) => {
  const name = request.url.split('?')[0];
  const file = name === '/' ? null : name === '/game.pck' ? pck : path.join(runtime, path.basename(name));
  if (file === null) {
    response.writeHead(200, { 'content-type': 'text/html' });
    response.end(page);
  } else if (fs.existsSync(file)) {
    response.writeHead(200, { 'content-type': types[path.extname(file)] || 'application/octet-stream' });
    fs.createReadStream(file).pipe(response);
  } else {
    response.writeHead(404);
    response.end();
  }
});
if (!external) await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = external || `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--allow-loopback-in-peer-connection',
    '--disable-features=WebRtcHideLocalIpsWithMdns', '--use-fake-ui-for-media-stream',
    '--use-fake-device-for-media-stream'],
});
// Runs in the page: wraps RTCPeerConnection so that each connection tells, once connected, which pair carries it.
function reportSelectedPairs() {
  const Native = window.RTCPeerConnection;
  if (!Native) return;
  let made = 0;
  function Reporting(...args) {
    const connection = new Native(...args);
    const number = ++made;
    let told = false;
    connection.addEventListener('connectionstatechange', async () => {
      if (told || connection.connectionState !== 'connected') return;
      told = true;
      const stats = await connection.getStats();
      let pair = null;
      stats.forEach((s) => {
        if (s.type === 'transport' && s.selectedCandidatePairId) pair = stats.get(s.selectedCandidatePairId);
      });
      const local = pair && stats.get(pair.localCandidateId);
      const remote = pair && stats.get(pair.remoteCandidateId);
      console.log(`RTC-PAIR|${number}|local=${local?.candidateType}|remote=${remote?.candidateType}|`
        + `${local?.address}:${local?.port}->${remote?.address}:${remote?.port}`);
    });
    return connection;
  }
  Reporting.prototype = Native.prototype;
  Object.setPrototypeOf(Reporting, Native);
  window.RTCPeerConnection = Reporting;
}

const done = new Set();
let finish;
const finished = new Promise((resolve) => { finish = resolve; });
for (let tab = 0; tab < tabs; tab++) {
  const context = await browser.newContext();
  await context.grantPermissions(['microphone']);
  const p = await context.newPage();
  let loaded = Date.now();
  const say = (text) => {
    for (const line of text.split('\n')) process.stdout.write(`[tab ${tab} +${Date.now() - loaded}ms] ${line}\n`);
    if (marker && text.includes(marker)) {
      done.add(tab);
      if (done.size === tabs) finish(0);
    }
  };
  p.on('console', (message) => say(message.text()));
  p.on('pageerror', (error) => say(`PAGE-ERROR ${error}`));
  // With media permission Chromium reveals real host addresses to WebRTC instead of mDNS names.
  await p.addInitScript(() => navigator.mediaDevices?.getUserMedia({ audio: true })
    .then((s) => s.getTracks().forEach((t) => t.stop())).catch(() => {}));
  if (rtcReport) await p.addInitScript(reportSelectedPairs);
  loaded = Date.now();
  await p.goto(url);
}
const timer = setTimeout(() => finish(1), timeout);
const status = marker ? await finished : await new Promise((r) => setTimeout(() => r(0), timeout));
clearTimeout(timer);
await browser.close();
if (!external) server.close();
process.exit(status);
