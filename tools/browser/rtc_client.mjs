#!/usr/bin/env node
// A Godot 4 WebRTCMultiplayerPeer client played by headless Chromium's own WebRTC, for Meshgate's tests. It speaks
// Godot 4's signaling, opens Godot's three negotiated channels (1 reliable, 2 ordered + packet lifetime,
// 3 unordered + packet lifetime) to each peer it is told about, and follows Godot's rule: the larger id offers.
// Same JSON-lines protocol as server/src/test/python/rtc_client.py: events on stdout, commands on stdin.
//   node rtc_client.mjs --url ws://127.0.0.1:9080/ [--lobby NAME] [--join-id N] [--ignore-answers]
import { chromium } from 'playwright-core';
import readline from 'node:readline';

const argv = process.argv.slice(2);
const option = (name, fallback) => {
  const at = argv.indexOf(`--${name}`);
  return at >= 0 && at + 1 < argv.length && !argv[at + 1].startsWith('--') ? argv[at + 1] : fallback;
};
const config = {
  url: option('url', 'ws://127.0.0.1:9080/'),
  lobby: option('lobby', ''),
  joinId: Number(option('join-id', '0')),
  ignoreAnswers: argv.includes('--ignore-answers'),
};
const emit = (event) => process.stdout.write(JSON.stringify(event) + '\n');

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--allow-loopback-in-peer-connection',
    // Plain host candidates: a server cannot resolve Chromium's mDNS .local names.
    '--disable-features=WebRtcHideLocalIpsWithMdns',
    '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream'],
});
const page = await browser.newPage();
page.on('pageerror', (error) => emit({ event: 'error', message: String(error) }));
await page.exposeFunction('emit', emit);
await page.evaluate(async (config) => {
  const [JOIN, ID, PEER_CONNECT, PEER_DISCONNECT, OFFER, ANSWER, CANDIDATE, SEAL] = [0, 1, 2, 3, 4, 5, 6, 7];
  const CHANNELS = [['reliable', 1, { ordered: true }], ['ordered', 2, { ordered: true, maxPacketLifeTime: 1 }],
    ['unreliable', 3, { ordered: false, maxPacketLifeTime: 1 }]];
  // With media permission Chromium exposes its real host addresses instead of mDNS names.
  try { (await navigator.mediaDevices.getUserMedia({ audio: true })).getTracks().forEach((t) => t.stop()); } catch (e) { }
  const hex = (buffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
  const bytes = (text) => new Uint8Array(text.match(/../g)?.map((h) => parseInt(h, 16)) ?? []);
  const ws = new WebSocket(config.url);
  const peers = new Map();
  let myId = 0;
  const send = (type, id, data = '') => ws.send(JSON.stringify({ type, id, data }));

  function makePeer(peerId) {
    const pc = new RTCPeerConnection({ iceServers: [] });
    const channels = {};
    const opened = new Set();
    const peer = { pc, channels, pending: [], remoteSet: false };
    for (const [label, id, options] of CHANNELS) {
      const channel = pc.createDataChannel(label, { negotiated: true, id, ...options });
      channel.binaryType = 'arraybuffer';
      channel.onopen = () => {
        opened.add(label);
        if (opened.size === CHANNELS.length) window.emit({ event: 'open', peer: peerId });
      };
      channel.onmessage = (e) => window.emit({ event: 'packet', peer: peerId, channel: label,
        hex: typeof e.data === 'string' ? hex(new TextEncoder().encode(e.data)) : hex(e.data) });
      channel.onclose = () => window.emit({ event: 'channel_closed', peer: peerId, channel: label });
      channels[label] = channel;
    }
    pc.onicecandidate = (e) => {
      if (e.candidate && e.candidate.candidate) {
        send(CANDIDATE, peerId, `\n${e.candidate.sdpMid}\n${e.candidate.sdpMLineIndex}\n${e.candidate.candidate}`);
      }
    };
    peers.set(peerId, peer);
    return peer;
  }

  async function remoteDescription(peer, description) {
    await peer.pc.setRemoteDescription(description);
    peer.remoteSet = true;
    for (const candidate of peer.pending.splice(0)) await peer.pc.addIceCandidate(candidate);
  }

  ws.onopen = () => send(JOIN, config.joinId, config.lobby);
  ws.onclose = (e) => { window.emit({ event: 'closed', code: e.code, reason: e.reason }); window.__closed = true; };
  ws.onmessage = async (e) => {
    const { type, id, data } = JSON.parse(e.data);
    try {
      if (type === ID) { myId = id; window.emit({ event: 'id', id, mesh: data === 'true' }); }
      else if (type === JOIN) window.emit({ event: 'joined', lobby: data });
      else if (type === PEER_CONNECT) {
        window.emit({ event: 'peer', id });
        if (id < myId) {  // Godot's rule: the larger id offers
          const peer = makePeer(id);
          await peer.pc.setLocalDescription(await peer.pc.createOffer());
          send(OFFER, id, peer.pc.localDescription.sdp);
        }
      } else if (type === PEER_DISCONNECT) {
        window.emit({ event: 'peer_gone', id });
        peers.get(id)?.pc.close();
        peers.delete(id);
      } else if (type === OFFER) {
        const peer = makePeer(id);
        await remoteDescription(peer, { type: 'offer', sdp: data });
        await peer.pc.setLocalDescription(await peer.pc.createAnswer());
        send(ANSWER, id, peer.pc.localDescription.sdp);
      } else if (type === ANSWER) {
        if (!config.ignoreAnswers && peers.has(id)) await remoteDescription(peers.get(id), { type: 'answer', sdp: data });
      } else if (type === CANDIDATE) {
        window.emit({ event: 'candidate', peer: id, data });
        const parts = data.split('\n').filter((p) => p.length > 0);
        const peer = peers.get(id);
        if (config.ignoreAnswers || !peer) return;
        if (parts.length !== 3) { window.emit({ event: 'error', message: `bad candidate ${data}` }); return; }
        const candidate = { sdpMid: parts[0], sdpMLineIndex: Number(parts[1]), candidate: parts[2] };
        if (peer.remoteSet) await peer.pc.addIceCandidate(candidate); else peer.pending.push(candidate);
      } else if (type === SEAL) window.emit({ event: 'sealed' });
    } catch (error) {
      window.emit({ event: 'error', message: String(error) });
    }
  };
  window.command = (command) => {
    if (command.cmd === 'send') peers.get(command.peer).channels[command.channel].send(bytes(command.hex));
    else if (command.cmd === 'close') { for (const { pc } of peers.values()) pc.close(); ws.close(); }
  };
}, config);

const lines = readline.createInterface({ input: process.stdin });
for await (const line of lines) {
  const command = JSON.parse(line);
  if (command.cmd === 'drop') process.exit(0);  // as a crashing client: the browser dies with us
  await page.evaluate((c) => window.command(c), command);
  if (command.cmd === 'close') break;
}
try { await page.waitForFunction(() => window.__closed === true, null, { timeout: 5000 }); } catch (e) { }
if (!(await page.evaluate(() => window.__closed === true).catch(() => true))) emit({ event: 'closed', code: 1000, reason: 'client left' });
await browser.close();
