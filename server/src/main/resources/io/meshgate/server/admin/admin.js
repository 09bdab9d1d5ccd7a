// Meshgate's admin page: reads /stats, /lobbies and /journal every two seconds, keeps a few minutes of figures for
// the charts, and sends the fixed list of actions with the admin token. Everything a client chose (lobby names,
// labels) is written as text, never as markup; the page's policy would refuse to run it anyway.
'use strict';

const REFRESH_MS = 2000;
const HISTORY = 90; // samples per chart: three minutes
const TOKEN_KEY = 'meshgate-admin-token';

const $ = (id) => document.getElementById(id);
const status = $('status');
const tokenInput = $('token');

// Figures kept for the charts; rates are worked out from two successive counter readings.
const charts = [
  { key: 'connections', label: 'Connections', read: (s) => s.connections },
  { key: 'lobbies', label: 'Lobbies', read: (s) => s.lobbies },
  { key: 'in', label: 'Messages in /s', rate: (s) => s.messagesReceived },
  { key: 'out', label: 'Messages out /s', rate: (s) => s.messagesSent },
  { key: 'heap', label: 'Heap used (MiB)', read: (s) => s.heapUsedKb / 1024 },
  { key: 'rss', label: 'Resident memory (MiB)', read: (s) => s.rssKb / 1024 },
  { key: 'tick', label: 'Game tick p99 (ms)', read: (s) => s.tick.p99Us / 1000 },
  { key: 'threads', label: 'Threads', read: (s) => s.threads },
  { key: 'tickets', label: 'Tickets waiting', read: (s) => s.matchmaker.waiting },
  { key: 'matches', label: 'Matches /s', rate: (s) => s.matchmaker.matches },
];
let previous = null;

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined && text !== null) node.textContent = String(text);
  return node;
}

function buildCharts() {
  const box = $('charts');
  for (const chart of charts) {
    const card = element('div', 'card');
    card.append(element('div', 'label', chart.label));
    chart.value = element('div', 'value', '–');
    card.append(chart.value);
    const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
    svg.setAttribute('viewBox', `0 0 ${HISTORY - 1} 100`);
    svg.setAttribute('preserveAspectRatio', 'none');
    svg.setAttribute('aria-hidden', 'true');
    chart.line = document.createElementNS('http://www.w3.org/2000/svg', 'polyline');
    svg.append(chart.line);
    card.append(svg);
    box.append(card);
    chart.samples = [];
  }
}

function plot(stats, at) {
  for (const chart of charts) {
    let value;
    if (chart.rate) {
      if (!previous) continue;
      value = Math.max(0, (chart.rate(stats) - chart.rate(previous.stats)) / ((at - previous.at) / 1000));
    } else {
      value = chart.read(stats);
    }
    if (!Number.isFinite(value)) continue;
    chart.samples.push(value);
    if (chart.samples.length > HISTORY) chart.samples.shift();
    chart.value.textContent = value >= 100 ? Math.round(value).toLocaleString() : value.toFixed(value % 1 ? 1 : 0);
    const top = Math.max(...chart.samples) || 1;
    const offset = HISTORY - chart.samples.length;
    chart.line.setAttribute('points',
      chart.samples.map((v, i) => `${offset + i},${(100 - (v / top) * 96 - 2).toFixed(1)}`).join(' '));
  }
  previous = { stats, at };
}

function age(sinceMillis) {
  const seconds = Math.max(0, Math.round((Date.now() - sinceMillis) / 1000));
  if (seconds < 120) return `${seconds} s`;
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}

function bytes(count) {
  if (count < 1024) return `${count} B`;
  if (count < 1024 * 1024) return `${(count / 1024).toFixed(1)} KiB`;
  return `${(count / 1024 / 1024).toFixed(1)} MiB`;
}

// Names and labels are the clients' choice: long ones are cut on screen, whole in the tooltip.
function clipped(cell, text) {
  const value = String(text ?? '');
  cell.textContent = value.length > 48 ? `${value.slice(0, 47)}…` : value;
  cell.title = value.length > 48 ? value : '';
}

function say(text, kind) {
  status.textContent = text;
  status.className = kind || '';
}

// Rows are kept by key between refreshes, so a button under the pointer is the same button after a refresh.
function sync(tbody, items, keyOf, make, update) {
  const old = new Map();
  for (const row of tbody.children) {
    if (!old.has(row.dataset.key)) old.set(row.dataset.key, row); // an item's first row holds them all
  }
  let at = 0;
  for (const item of items) {
    const key = String(keyOf(item));
    let rows = old.get(key)?.rows;
    if (rows) {
      old.delete(key);
    } else {
      rows = make(item);
      rows[0].rows = rows;
      rows.forEach((row) => { row.dataset.key = key; });
    }
    update(rows, item);
    for (const row of rows) {
      if (tbody.children[at] !== row) tbody.insertBefore(row, tbody.children[at] || null);
      at++;
    }
  }
  for (const row of old.values()) row.rows.forEach((r) => r.remove());
}

function cells(row, count) {
  const list = [];
  for (let i = 0; i < count; i++) list.push(row.appendChild(element('td')));
  return list;
}

function button(label, danger, action) {
  const node = element('button', danger ? 'danger' : '', label);
  node.type = 'button';
  node.addEventListener('click', action);
  return node;
}

function renderLobbies(listing) {
  const lobbies = listing.lobbies;
  $('lobby-count').textContent = listing.open > lobbies.length
    ? `(${listing.open} open, the oldest ${lobbies.length} shown)` : `(${listing.open} open)`;
  $('no-lobbies').hidden = lobbies.length > 0;
  sync($('lobbies').tBodies[0], lobbies, (lobby) => lobby.number, (lobby) => {
    const row = element('tr', 'lobby');
    row.cellsList = cells(row, 9);
    row.cellsList[1].className = 'name';
    const actions = row.cellsList[8];
    actions.className = 'actions';
    actions.append(button('Seal', false, () => act(`/lobbies/${lobby.number}/seal`, `Seal lobby #${lobby.number}`,
      `Seal lobby #${lobby.number}? It takes no new player and closes after the seal time.`)));
    actions.append(button('Close', true, () => act(`/lobbies/${lobby.number}/close`, `Close lobby #${lobby.number}`,
      `Close lobby #${lobby.number}? Every member is disconnected.`)));
    const members = element('tr', 'members');
    const holder = element('td');
    holder.colSpan = 9;
    const table = element('table');
    const head = table.createTHead().insertRow();
    for (const title of ['Id', 'Label', 'Transport', 'Address', 'Joined', 'In', 'Out', '']) {
      head.append(element('th', '', title));
    }
    members.body = table.createTBody();
    holder.append(table);
    members.append(holder);
    return [row, members];
  }, ([row, members], lobby) => {
    const c = row.cellsList;
    c[0].textContent = lobby.number;
    clipped(c[1], lobby.name);
    c[2].textContent = lobby.dialect;
    c[3].textContent = lobby.hosting + (lobby.mesh ? ', mesh' : '');
    c[4].textContent = lobby.game || '–';
    c[5].textContent = lobby.members.length;
    c[6].textContent = age(lobby.createdAtMillis);
    c[7].textContent = lobby.sealed ? 'sealed' : 'open';
    c[7].className = lobby.sealed ? 'sealed' : '';
    renderMembers(members.body, lobby);
  });
}

function renderMembers(tbody, lobby) {
  sync(tbody, lobby.members, (member) => member.serverId, (member) => {
    const row = element('tr');
    row.cellsList = cells(row, 8);
    if (member.transport !== 'server') {
      row.cellsList[7].append(button('Kick', true, () => act(`/lobbies/${lobby.number}/members/${member.id}/kick`,
        `Kick member ${member.id} of lobby #${lobby.number}`,
        `Remove member ${member.id} (${member.label}) from lobby #${lobby.number}?`)));
    }
    return [row];
  }, ([row], member) => {
    const c = row.cellsList;
    const traffic = member.traffic;
    c[0].textContent = member.id;
    clipped(c[1], member.label);
    c[2].textContent = member.transport;
    c[3].textContent = member.address || '–';
    c[4].textContent = member.joinedAtMillis ? age(member.joinedAtMillis) : '–';
    c[5].textContent = traffic ? `${traffic.messagesIn} msg, ${bytes(traffic.bytesIn)}` : '–';
    c[6].textContent = traffic ? `${traffic.messagesOut} msg, ${bytes(traffic.bytesOut)}` : '–';
  });
}

function renderJournal(journal) {
  const entries = journal.entries.slice().reverse(); // newest first
  $('journal-count').textContent = `(last ${entries.length} of ${journal.total})`;
  const tbody = $('journal').tBodies[0];
  tbody.replaceChildren(...entries.map((entry) => {
    const row = element('tr');
    const c = cells(row, 4);
    c[0].textContent = new Date(entry.atMillis).toLocaleTimeString();
    c[1].textContent = entry.kind;
    c[2].textContent = entry.address || '–';
    c[3].textContent = entry.detail;
    return row;
  }));
}

const REFUSED = {
  401: 'Refused: the admin token is missing or wrong.',
  403: 'Refused: this server has no admin token configured (start it with --admin-token).',
};

async function act(path, what, question) {
  if (!window.confirm(question)) return;
  try {
    const response = await fetch(path, {
      method: 'POST',
      headers: { Authorization: `Bearer ${tokenInput.value.trim()}` },
    });
    let outcome = '';
    try { outcome = (await response.json()).outcome || ''; } catch { /* an error page, not JSON */ }
    if (response.ok || response.status === 202) {
      say(`${what}: done.`, 'done');
    } else if (REFUSED[response.status]) {
      say(`${what}: ${REFUSED[response.status]}`, 'error');
    } else if (response.status === 404) {
      say(`${what}: ${outcome === 'no_such_member' ? 'that member has left' : 'that lobby is closed'}.`, 'error');
    } else if (response.status === 409) {
      say(`${what}: not possible (the server's own peer leaves only with its lobby).`, 'error');
    } else {
      say(`${what}: failed with HTTP ${response.status}.`, 'error');
    }
  } catch (error) {
    say(`${what}: the server did not answer (${error.message}).`, 'error');
  }
  refresh();
}

async function getJson(path) {
  const response = await fetch(path, { cache: 'no-store' });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status}`);
  return response.json();
}

let refreshing = false;
async function refresh() {
  if (refreshing) return;
  refreshing = true;
  const state = $('state');
  try {
    const [stats, listing, journal] = await Promise.all([getJson('/stats'), getJson('/lobbies'),
      getJson('/journal')]);
    plot(stats, Date.now());
    renderLobbies(listing);
    renderJournal(journal);
    state.textContent = stats.draining ? 'draining' : 'serving';
    state.className = `badge ${stats.draining ? 'draining' : 'ok'}`;
  } catch (error) {
    state.textContent = 'unreachable';
    state.className = 'badge down';
  } finally {
    refreshing = false;
  }
}

tokenInput.value = sessionStorage.getItem(TOKEN_KEY) || '';
tokenInput.addEventListener('input', () => sessionStorage.setItem(TOKEN_KEY, tokenInput.value));
$('drain').addEventListener('click', () => act('/drain', 'Drain',
  'Drain this node? It takes no new lobby or player; open games play on until they end or the drain timeout.'));
buildCharts();
refresh();
setInterval(refresh, REFRESH_MS);
