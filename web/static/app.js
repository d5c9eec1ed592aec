// The page: a paste box, answers as cards. The library runs in worker.js (WebAssembly);
// its answer is the JSON that `alipay-explain --json` prints, rendered here.

// Longest text explained at once, in UTF-16 code units (about characters). A longer paste
// is cut here and the page says so; the worker keeps the page responsive in any case.
const LIMIT = 20000;
// Wait after the last keystroke before explaining what is typed.
const DEBOUNCE_MS = 150;
// An answer slower than this is abandoned: the worker is restarted and the page says so.
const TIMEOUT_MS = 10000;
// At most this many cards and glossed lines are drawn; the page says how many more there are.
const MAX_CARDS = 20;
const MAX_GLOSS_LINES = 20;

const $ = (sel) => document.querySelector(sel);
const box = $('#q');
const statusLine = $('#status');
const results = $('#results');
const staff = $('#staff');

// Numbers the tests and the README read: load time, and the time of each answer.
const stats = { readyMs: null, answers: [], firstAnswerAt: null, done: 0 };
window.__webStats = stats;

// ---------------------------------------------------------------- the library
// Short texts (nearly all) are explained on the main thread: a few milliseconds. Longer ones
// go to a worker (worker.js), started on first need with the module compiled here.
import init, { explain as explainHere, prepare } from './pkg/alipay_explain_web.js';

const SHORT = 2000;
let wasmModule = null;
const ready = (async () => {
  const t0 = performance.now();
  const url = new URL('./pkg/alipay_explain_web_bg.wasm', import.meta.url);
  const res = await fetch(url);
  wasmModule = res.headers.get('content-type') === 'application/wasm'
    ? await WebAssembly.compileStreaming(res)
    : await WebAssembly.compile(await res.arrayBuffer());
  await init({ module_or_path: wasmModule });
  if (!prepare()) throw new Error('the catalog did not load');
  stats.readyMs = performance.now() - t0;
})();

let worker = null;
let workerReady = null;
let nextId = 1;
const waiting = new Map(); // id -> {resolve, reject, timer}

function startWorker() {
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  workerReady = new Promise((resolve, reject) => {
    worker.addEventListener('message', (event) => {
      const msg = event.data;
      if (msg.type === 'ready') resolve();
      else if (msg.type === 'error') reject(new Error(msg.message));
      else if (msg.type === 'answer') {
        const w = waiting.get(msg.id);
        if (w) {
          clearTimeout(w.timer);
          waiting.delete(msg.id);
          w.resolve({ json: msg.json, ms: msg.ms });
        }
      }
    });
    worker.addEventListener('error', (event) => reject(new Error(event.message || 'the worker did not start')));
  });
  worker.postMessage({ type: 'init', module: wasmModule });
}

function stopWorker() {
  worker.terminate();
  worker = null;
  for (const w of waiting.values()) {
    clearTimeout(w.timer);
    w.reject(new Error('timeout'));
  }
  waiting.clear();
}

// The JSON answer for `text`, exactly as the library wrote it, and the time it took.
// With `trim`, a long answer comes shortened for drawing (see worker.js).
async function explainJson(text, trim = null) {
  await ready;
  if (text.length <= SHORT) {
    const t0 = performance.now();
    const json = explainHere(text);
    return { json, ms: performance.now() - t0 };
  }
  if (!worker) startWorker();
  await workerReady;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(stopWorker, TIMEOUT_MS);
    waiting.set(id, { resolve, reject, timer });
    worker.postMessage({ id, text, trim });
  });
}
// For scripts and the tests: the page's own answer, as JSON text.
window.alipayExplain = async (text) => (await explainJson(text)).json;

// ---------------------------------------------------------------- asking
let busy = false;
let pending = null; // the newest text waiting to be explained (older ones are dropped)
let debounce = 0;
let cutFrom = 0; // the length of a long paste that was cut before it reached the box

function explainSoon() {
  clearTimeout(debounce);
  debounce = setTimeout(() => explainNow(box.value), DEBOUNCE_MS);
}

function explainNow(text) {
  clearTimeout(debounce);
  pending = text;
  if (!busy) next();
}

async function next() {
  const full = pending;
  pending = null;
  busy = true;
  try {
    await answer(full);
  } finally {
    busy = false;
    stats.done += 1;
  }
  if (pending !== null) next();
}

// Cut a long paste at LIMIT, never inside a surrogate pair.
function cut(text) {
  if (text.length <= LIMIT) return text;
  let end = LIMIT;
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end -= 1;
  return text.slice(0, end);
}

const n = (x) => x.toLocaleString('en-US');

async function answer(full) {
  if (full.trim() === '') {
    results.replaceChildren();
    say(full === '' ? 'Nothing to explain: the box is empty. Paste or type a message above.'
      : 'Nothing to explain: the box holds only spaces.');
    return;
  }
  const text = cut(full);
  const t0 = performance.now();
  const slow = setTimeout(() => say('Explaining…'), 300);
  let reply;
  try {
    reply = await explainJson(text, { cards: MAX_CARDS, lines: MAX_GLOSS_LINES });
  } catch (err) {
    clearTimeout(slow);
    if (pending !== null) return;
    results.replaceChildren();
    say(err.message === 'timeout'
      ? `That took longer than ${TIMEOUT_MS / 1000} s, so it was stopped. Paste a smaller part of the text.`
      : `The explainer did not load (${err.message}). Reload the page to try again.`, true);
    return;
  } finally {
    clearTimeout(slow);
  }
  if (pending !== null) return; // something newer was typed: answer that instead
  let out;
  try {
    out = JSON.parse(reply.json);
  } catch {
    out = { error: 'the answer was not JSON' };
  }
  if (out.error) {
    results.replaceChildren();
    say(`Something went wrong: ${out.error}`, true);
    return;
  }
  const r0 = performance.now();
  render(out);
  stats.renderMs = performance.now() - r0;
  const total = performance.now() - t0;
  if (stats.firstAnswerAt === null) stats.firstAnswerAt = performance.now();
  stats.answers.push({ chars: text.length, workerMs: reply.ms, totalMs: total });
  const found = out.matches.length + ((out.more && out.more.matches) || 0);
  let line = found
    ? `Found ${found} known message${found === 1 ? '' : 's'} (${total.toFixed(0)} ms).`
    : `No known Alipay message found (${total.toFixed(0)} ms).`;
  const whole = Math.max(full.length, cutFrom);
  cutFrom = 0;
  if (text.length < whole) {
    line = `Your paste is long (${n(whole)} characters): only the first ${n(text.length)} were explained, so the page stays quick. ${line} Paste a smaller part to explain the rest.`;
  }
  say(line, text.length < whole);
}

function say(text, warn = false) {
  statusLine.textContent = text;
  statusLine.classList.toggle('warn', warn);
}

// ---------------------------------------------------------------- rendering
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === 'class') el.className = v;
    else if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

const ACTOR = {
  you: 'you',
  alipay: 'Alipay',
  bank: 'your bank',
  merchant: 'the shop or seller',
  developer: 'the app’s developer',
  network: 'your network connection',
};
const RETRY = {
  safe: 'safe to try again now',
  later: 'wait a while, then try again',
  after_wait: 'only after the wait the message names',
  no: 'trying again will not help',
};
const pct = (x) => `${Math.round(x * 100)}%`;

function how(m) {
  switch (m.kind) {
    case 'exact': return 'exact match';
    case 'normalized': return `normalized match, ${pct(m.confidence)}`;
    case 'fuzzy': return `fuzzy match, ${pct(m.confidence)}`;
    case 'described': return `matches your description, ${pct(m.confidence)}`;
    default: return `${m.kind} match, ${pct(m.confidence)}`;
  }
}

// The cause, worded by how we know it (DESIGN.md: More than one cause).
function cause(m) {
  switch (m.cause_basis) {
    case 'documented': return ['Why (Alipay’s documentation)', m.cause];
    case 'reported': return ['Why (reported by several people)', m.cause];
    case 'one_report': return ['Why (not certain)', `One reported case: ${m.cause}`];
    default: return ['Why', m.cause];
  }
}

function card(m, i) {
  const [whyTitle, whyText] = cause(m);
  const headId = `m${i}-t`;
  const facts = [];
  if (m.actor) facts.push(h('li', {}, 'Who acts: ', ACTOR[m.actor] || m.actor));
  if (m.retry) facts.push(h('li', {}, 'Retry: ', RETRY[m.retry] || m.retry));
  const other = Array.isArray(m.other_causes) && m.other_causes.length
    ? [h('h3', {}, 'Other possible causes'),
      h('dl', { class: 'other' }, m.other_causes.map((o) => [
        h('dt', {}, o.cause),
        o.tell ? h('dd', {}, 'How to tell: ', o.tell) : null,
        Array.isArray(o.fixes) && o.fixes.length ? h('dd', {}, 'Then: ', o.fixes.join(' ')) : null,
      ]))]
    : null;
  return h('article', { class: 'card', 'aria-labelledby': headId, 'data-id': m.id },
    h('p', { class: 'said', lang: 'zh-CN' }, oneLine(m.text)),
    m.kind === 'described'
      ? h('p', { class: 'unsure' }, `Matches your description (${pct(m.confidence)} sure): a problem people describe this way, not a message you pasted.`)
      : m.confidence < 0.8
        ? h('p', { class: 'unsure' }, `Probably this message (${pct(m.confidence)} sure): your text differs from it in places. Known text: `,
          h('span', { lang: 'zh-CN' }, m.template))
        : null,
    h('h2', { id: headId, class: 'translation' }, m.translation),
    h('h3', {}, whyTitle),
    h('p', { class: 'cause' }, whyText),
    other,
    m.fixes && m.fixes.length ? [h('h3', {}, 'What to do'), h('ol', { class: 'fixes' }, m.fixes.map((f) => h('li', {}, f)))] : null,
    m.before_retry ? h('p', { class: 'before' }, h('strong', {}, 'Before you retry: '), m.before_retry) : null,
    Array.isArray(m.contacts) && m.contacts.length
      ? [h('h3', {}, 'Who to contact'), h('ul', { class: 'contacts' }, m.contacts.map((c) => h('li', {}, h('strong', {}, c.name), ': ', c.how)))]
      : null,
    facts.length ? h('ul', { class: 'facts' }, facts) : null,
    m.ask ? askStaff(m.ask) : null,
    h('details', { class: 'meta' },
      h('summary', {}, `${m.id} · ${m.category} · ${how(m)}`),
      m.codes && m.codes.length ? h('p', {}, 'Codes: ', m.codes.join(', ')) : null,
      Object.keys(m.slots || {}).length
        ? h('p', {}, 'Read from your text: ', Object.entries(m.slots).map(([k, v]) => `${k} = ${v}`).join(', '))
        : null,
      h('p', {}, 'Seen in: ', sources(m.sources || []))));
}

function sources(list) {
  const out = [];
  list.forEach((s, i) => {
    if (i) out.push(', ');
    out.push(/^https?:\/\//.test(s) ? h('a', { href: s, rel: 'noopener noreferrer' }, s) : s);
  });
  return out;
}

function askStaff(ask) {
  return [
    h('h3', {}, 'Show this to staff'),
    h('button', {
      type: 'button',
      class: 'ask-staff',
      'aria-label': `Show full screen: ${ask.zh}`,
      onclick: () => showStaff(ask),
    },
    h('span', { class: 'zh', lang: 'zh-CN' }, ask.zh),
    h('span', { class: 'py', lang: 'zh-Latn-pinyin' }, ask.pinyin),
    h('span', { class: 'hint', 'aria-hidden': 'true' }, 'Tap to show full screen')),
    ask.en ? h('p', { class: 'ask-en' }, `It asks: ${ask.en}`) : null,
  ];
}

function glossList(u) {
  return [
    h('p', { class: 'gloss-line', lang: 'zh-CN' }, oneLine(u.text)),
    h('ul', { class: 'gloss', 'aria-label': `Words of: ${oneLine(u.text)}` },
      u.gloss.map((g) => h('li', {},
        h('span', { class: 'w', lang: 'zh-CN' }, g.word),
        h('span', { class: 'p', lang: 'zh-Latn-pinyin' }, g.pinyin),
        g.en ? h('span', { class: 'e' }, g.en) : h('span', { class: 'e unknown', title: 'not in the glossary' }, '?')))),
  ];
}

function oneLine(text) {
  const flat = text.replace(/\r?\n|\r/g, ' ⏎ ');
  return flat.length > 300 ? `${flat.slice(0, 300)}…` : flat;
}

function render(out) {
  const parts = [];
  if (out.for) parts.push(h('p', { class: 'for' }, `Answered for: ${out.for === 'developer' ? 'a developer' : 'an app user'}`));
  const more = out.more || { matches: Math.max(0, out.matches.length - MAX_CARDS), lines: 0 };
  out.matches.slice(0, MAX_CARDS).forEach((m, i) => parts.push(card(m, i)));
  if (more.matches > 0) {
    parts.push(h('p', { class: 'panel more' }, `${n(more.matches)} more messages found; only the first ${MAX_CARDS} are shown.`));
  }
  if (!out.matches.length) {
    parts.push(h('div', { class: 'panel empty' },
      h('h2', {}, 'No known Alipay message found'),
      h('p', {}, 'The words are glossed below. If this is an Alipay message we should know, please report it with where you saw it.')));
  }
  if (out.triage) {
    const t = out.triage;
    parts.push(h('section', { class: 'panel triage', 'aria-labelledby': 'triage-h' },
      h('h2', { id: 'triage-h' }, `It looks like a ${String(t.category).replace('_', ' ')} problem`),
      h('p', { class: 'empty' }, `A guess from its words (${pct(t.confidence)} sure). ${t.means}`),
      h('h3', {}, 'First steps'),
      h('ol', {}, (t.advice || []).map((a) => h('li', {}, a)))));
  }
  if (out.suggestions && out.suggestions.length) {
    parts.push(h('section', { class: 'panel suggest', 'aria-labelledby': 'suggest-h' },
      h('h2', { id: 'suggest-h' }, 'Did you mean'),
      h('p', { class: 'empty' }, 'Your text only resembles these messages:'),
      h('ul', {}, out.suggestions.map((s) => h('li', { 'data-id': s.id },
        h('span', { class: 't', lang: 'zh-CN' }, s.template),
        h('span', {}, s.translation), ' ',
        h('span', { class: 'pct' }, `(${pct(s.confidence)} alike)`))))));
  }
  const glossed = (out.unmatched || []).filter((u) => u.gloss && u.gloss.length);
  if (glossed.length) {
    parts.push(h('section', { class: 'panel words', 'aria-labelledby': 'words-h' },
      h('h2', { id: 'words-h' }, out.matches.length ? 'Other text, word by word' : 'Word by word'),
      glossed.slice(0, MAX_GLOSS_LINES).map(glossList),
      more.lines + Math.max(0, glossed.length - MAX_GLOSS_LINES) > 0
        ? h('p', { class: 'more' }, `${n(more.lines + Math.max(0, glossed.length - MAX_GLOSS_LINES))} more lines not shown.`)
        : null));
  }
  results.replaceChildren(...parts);
}

// ---------------------------------------------------------------- full screen for staff
function fitStaffText(zh) {
  const chars = [...zh].length || 1;
  const width = Math.max(200, window.innerWidth - 40);
  const height = Math.max(200, window.innerHeight * 0.6);
  let size = 112;
  while (size > 20) {
    const perLine = Math.max(1, Math.floor(width / size));
    if (Math.ceil(chars / perLine) * size * 1.3 <= height) break;
    size -= 4;
  }
  return size;
}

function showStaff(ask) {
  staff.querySelector('.staff-zh').textContent = ask.zh;
  staff.querySelector('.staff-py').textContent = ask.pinyin;
  staff.querySelector('.staff-en').textContent = ask.en ? `(${ask.en})` : '';
  staff.style.setProperty('--staff-size', `${fitStaffText(ask.zh)}px`);
  staff.showModal();
  if (staff.requestFullscreen && !document.fullscreenElement) {
    staff.requestFullscreen().catch(() => {});
  }
}
staff.addEventListener('close', () => {
  if (document.fullscreenElement) document.exitFullscreen().catch(() => {});
});

// ---------------------------------------------------------------- links
function fromHash() {
  const m = /^#q=(.*)$/s.exec(location.hash);
  if (!m) return null;
  try {
    return decodeURIComponent(m[1].replace(/\+/g, '%20'));
  } catch {
    return m[1];
  }
}

async function copyLink() {
  const text = box.value;
  const url = `${location.href.split('#')[0]}#q=${encodeURIComponent(text)}`;
  history.replaceState(null, '', url);
  try {
    await navigator.clipboard.writeText(url);
    say(url.length > 8000
      ? `Link copied (${n(url.length)} characters long: some apps may cut it).`
      : 'Link copied: whoever opens it sees this text explained.');
  } catch {
    say('Could not copy: the link is now in the address bar, copy it from there.', true);
  }
}

// ---------------------------------------------------------------- start
$('#form').addEventListener('submit', (event) => {
  event.preventDefault();
  explainNow(box.value);
});
box.addEventListener('input', explainSoon);
// A very long paste would make the browser lay out megabytes of text in the box: keep only
// what will be explained, and say so.
box.addEventListener('paste', (event) => {
  const text = event.clipboardData && event.clipboardData.getData('text/plain');
  if (!text || text.length <= LIMIT) return;
  event.preventDefault();
  const kept = cut(text);
  box.setRangeText(kept, box.selectionStart, box.selectionEnd, 'end');
  cutFrom = text.length;
  explainNow(box.value);
});
box.addEventListener('keydown', (event) => {
  if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    explainNow(box.value);
  }
});
$('#clear').addEventListener('click', () => {
  box.value = '';
  history.replaceState(null, '', location.href.split('#')[0]);
  explainNow('');
  box.focus();
});
$('#copy-link').addEventListener('click', copyLink);
window.addEventListener('hashchange', () => {
  const q = fromHash();
  if (q !== null) {
    box.value = q;
    explainNow(q);
  }
});

ready.then(() => {
  const q = fromHash();
  if (q !== null) box.value = q;
  if (box.value.trim() !== '') explainNow(box.value);
  else say('Ready. Paste or type a message above; it works offline too.');
}, (err) => {
  say(`The explainer did not load (${err.message}). This page needs a browser with WebAssembly.`, true);
});

if ('serviceWorker' in navigator && location.protocol !== 'file:') {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('sw.js').catch(() => {});
  });
}
