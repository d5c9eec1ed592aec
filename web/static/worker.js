// Runs the library (WebAssembly) off the page's main thread for long pastes, so that the
// page never freezes. The page sends the compiled module first ({type: "init", module}),
// then texts ({id, text}); answers are {type: "answer", id, json, ms}.
import init, { explain, prepare } from './pkg/alipay_explain_web.js';

let ready = null;

onmessage = async (event) => {
  const msg = event.data;
  if (msg.type === 'init') {
    ready = (async () => {
      await init({ module_or_path: msg.module });
      if (!prepare()) throw new Error('the catalog did not load');
    })();
    ready.then(
      () => postMessage({ type: 'ready' }),
      (err) => postMessage({ type: 'error', message: String((err && err.message) || err) }),
    );
    return;
  }
  const { id, text, trim } = msg;
  try {
    await ready;
    const t0 = performance.now();
    let json = explain(text);
    if (trim) json = trimmed(json, trim);
    postMessage({ type: 'answer', id, json, ms: performance.now() - t0 });
  } catch (err) {
    postMessage({ type: 'answer', id, json: JSON.stringify({ error: String((err && err.message) || err) }), ms: 0 });
  }
};

// What the page draws of a long answer: the first `trim.cards` matches and `trim.lines`
// glossed lines, with how many more there are (`more`), so that the page's main thread
// never parses or draws megabytes.
function trimmed(json, trim) {
  const out = JSON.parse(json);
  if (out.error) return json;
  const glossed = out.unmatched.filter((u) => u.gloss.length);
  out.more = {
    matches: Math.max(0, out.matches.length - trim.cards),
    lines: Math.max(0, glossed.length - trim.lines),
  };
  out.matches = out.matches.slice(0, trim.cards);
  out.unmatched = glossed.slice(0, trim.lines);
  out.input = '';
  return JSON.stringify(out);
}
