// The status page's script (GET /health/ui/app.js): plain browser JavaScript, no build step.
// It reads GET /health, lists the plugins, runs their live checks, and sets up a demo card for
// each plugin whose definition names a widget below.
// biome-ignore lint/suspicious/noRedundantUseStrict: index.html loads this as a classic script (<script defer>), which is not strict by itself.
'use strict';

// Where this app's routes start: '' when the page is /health/ui, '/prefix' when mounted below one.
const root = location.pathname.replace(/\/health\/ui\/?$/, '');

// The file settings go in, as the server names it.
const envFile = document.body.dataset.envFile || '.env';

// The demo widgets, in the order their cards appear: each plugin names its widget in the `demo`
// of its definition, which GET /health passes on; `widget-<name>` in index.html is its markup.
const widgets = {
  ai: { kicker: 'Chat', lead: 'Ask a configured AI provider. The answer streams in as it is written.', wide: true, setUp: setUpChat },
  transcribe: {
    kicker: 'Speech to text',
    lead: 'Record a few seconds or choose an audio file, then read the transcript.',
    setUp: setUpTranscription,
  },
  speech: { kicker: 'Text to speech', lead: 'Type a sentence and listen to it.', setUp: setUpSpeech },
  storage: { kicker: 'File storage', lead: 'Upload a file, download it back, then delete it.', setUp: setUpStorage },
  media: { kicker: 'Media', lead: 'Upload an image and preview a resized copy from the CDN.', setUp: setUpMedia },
  'payment-intent': {
    kicker: 'Payments',
    lead: 'Create a test payment intent. Nothing is charged until a payment is confirmed.',
    setUp: setUpPaymentIntent,
  },
  'paypal-order': { kicker: 'Payments', lead: 'Create a test order, then approve it on PayPal.', setUp: setUpPayPalOrder },
  email: { kicker: 'Email', lead: 'Send a short test message to an address you choose.', setUp: setUpEmail },
  'sign-in': { kicker: 'Sign-in', lead: 'Start the sign-in flow in this tab.', setUp: setUpSignIn },
  usage: { kicker: 'Usage', lead: 'Calls, tokens and estimated cost by provider over the last 30 days.', wide: true, setUp: setUpUsage },
  'api-keys': { kicker: 'API keys', lead: 'Keys stored by this app, masked.', wide: true, setUp: setUpApiKeys },
};
const widgetOrder = Object.keys(widgets);

// Rows and cards by plugin id, so live checks can update them in place.
const views = new Map();

// The access token the demos send: in session storage, not local storage, as it is a credential.
const tokenStorageKey = 'access-token';

// How this app issues admin tokens: set once /health has listed the plugins.
let mintCommand;

document.addEventListener('DOMContentLoaded', () => {
  document.getElementById('recheck').addEventListener('click', () => runLiveChecks());
  setUpAccessToken();
  start();
});

async function start() {
  let health;
  try {
    health = await getJson('/health');
  } catch (error) {
    setOverall('danger', 'Unavailable', '');
    document.getElementById('checked-at').textContent = error.message;
    return;
  }
  renderPlugins(health.plugins);
  describeTokenSource(health.plugins);
  renderDemos(health.plugins);
  summarize(health.plugins);
  document.getElementById('checked-at').textContent = `Configuration read at ${clock()}.`;
  runLiveChecks();
}

// ---- Plugin status ----------------------------------------------------------------------

function renderPlugins(plugins) {
  const list = document.getElementById('plugins');
  list.hidden = plugins.length === 0;
  document.getElementById('no-plugins').hidden = plugins.length > 0;
  for (const plugin of plugins) {
    const row = cloneTemplate('plugin-row');
    find(row, '[data-name]').textContent = plugin.name;
    find(row, '[data-id]').textContent = plugin.id;
    find(row, '[data-mount]').textContent = plugin.mountPath || '';
    list.append(row);
    views.set(plugin.id, { row: list.lastElementChild, card: undefined });
    showStatus(plugin, false);
  }
}

async function runLiveChecks() {
  const button = document.getElementById('recheck');
  setBusy(button, true);
  for (const view of views.values()) {
    if (view.configured) setBadge(find(view.row, '[data-badge]'), 'busy', 'Checking');
  }
  setOverall('busy', 'Checking');
  try {
    const health = await getJson('/health?probe=1');
    for (const plugin of health.plugins) showStatus(plugin, true);
    summarize(health.plugins);
    document.getElementById('checked-at').textContent = `Live checks ran at ${clock()}.`;
  } catch (error) {
    setOverall('danger', 'Live checks failed', error.message);
  } finally {
    setBusy(button, false);
  }
}

function showStatus(plugin, probed) {
  const view = views.get(plugin.id);
  if (!view) return;
  view.configured = plugin.status !== 'not_configured';
  const status = describeStatus(plugin, probed);
  setBadge(find(view.row, '[data-badge]'), status.tone, status.label);
  const detail = find(view.row, '[data-detail]');
  detail.replaceChildren(...status.detail);
  detail.hidden = status.detail.length === 0;
  detail.classList.toggle('danger', plugin.status === 'failing');
  if (view.card) setBadge(find(view.card, '[data-badge]'), status.tone, status.label);
}

function describeStatus(plugin, probed) {
  if (plugin.status === 'not_configured') {
    return { tone: 'warn', label: 'Not configured', detail: describeMissing(plugin) };
  }
  if (plugin.status === 'failing') {
    return { tone: 'danger', label: 'Failing', detail: [withLatency(plugin)] };
  }
  // A local server (Ollama, LM Studio) nobody has started yet: nothing is wrong with the app.
  if (plugin.status === 'not_running') {
    return { tone: 'neutral', label: 'Not running', detail: [withLatency(plugin)] };
  }
  if (probed && plugin.latencyMs !== undefined) return { tone: 'ok', label: `Live · ${plugin.latencyMs} ms`, detail: [] };
  return { tone: 'ok', label: 'Configured', detail: [] };
}

// Plugins that serve through others have no probe, so no latency, of their own.
function withLatency(plugin) {
  return plugin.latencyMs === undefined ? plugin.message : `${plugin.message} (${plugin.latencyMs} ms)`;
}

// "Missing OPENAI_API_KEY" with each name in <code>, then what is wrong with the invalid ones.
// A plugin that serves through others has no variables of its own to set: the server says what to do.
function describeMissing(plugin) {
  if (plugin.missing.length + plugin.invalid.length === 0) return [plugin.message];
  const parts = [];
  if (plugin.missing.length > 0) {
    parts.push('Missing ');
    plugin.missing.forEach((name, index) => {
      if (index > 0) parts.push(', ');
      parts.push(h('code', {}, name));
    });
    parts.push('. ');
  }
  for (const problem of plugin.invalid) parts.push(h('code', {}, problem.name), ` ${problem.message}. `);
  const them = plugin.missing.length + plugin.invalid.length > 1 ? 'them' : 'it';
  parts.push(`Set ${them} in ${envFile} and restart.`);
  return parts;
}

// Plugins not running are counted but do not change the verdict: starting a local server is the developer's call.
function summarize(plugins) {
  const failing = plugins.filter((plugin) => plugin.status === 'failing').length;
  const missing = plugins.filter((plugin) => plugin.status === 'not_configured').length;
  const stopped = plugins.filter((plugin) => plugin.status === 'not_running').length;
  const ready = plugins.length - failing - missing - stopped;
  const counts = [plural(plugins.length, 'plugin'), `${ready} ready`];
  if (missing > 0) counts.push(`${missing} not configured`);
  if (stopped > 0) counts.push(`${stopped} not running`);
  if (failing > 0) counts.push(`${failing} failing`);
  if (failing > 0) setOverall('danger', 'Failing', counts.join(' · '));
  else if (missing > 0) setOverall('warn', 'Needs setup', counts.join(' · '));
  else setOverall('ok', 'Healthy', counts.join(' · '));
}

// Without counts, the ones shown stay.
function setOverall(tone, label, counts) {
  setBadge(document.getElementById('overall'), tone, label);
  if (counts !== undefined) document.getElementById('counts').textContent = counts;
}

// ---- Demo cards -------------------------------------------------------------------------

function renderDemos(plugins) {
  const container = document.getElementById('demos');
  const withDemo = plugins.filter((plugin) => plugin.demo && Object.hasOwn(widgets, plugin.demo.widget));
  withDemo.sort((a, b) => widgetOrder.indexOf(a.demo.widget) - widgetOrder.indexOf(b.demo.widget));
  document.getElementById('no-demos').hidden = withDemo.length > 0;
  document.getElementById('access').hidden = withDemo.length === 0;
  for (const plugin of withDemo) {
    const card = cloneTemplate('demo-card');
    const widget = widgets[plugin.demo.widget];
    find(card, '[data-kicker]').textContent = widget.kicker;
    find(card, '[data-title]').textContent = plugin.name;
    find(card, '[data-lead]').textContent = widget.lead;
    const article = card.firstElementChild;
    article.classList.toggle('wide', Boolean(widget.wide));
    article.dataset.plugin = plugin.id;
    article.setAttribute('aria-label', `${plugin.name} demo`);
    const body = find(card, '[data-body]');
    if (plugin.status === 'not_configured') {
      article.classList.add('unavailable');
      body.append(h('p', { class: 'unavailable-note' }, ...describeMissing(plugin)));
    } else {
      body.append(cloneTemplate(`widget-${plugin.demo.widget}`));
      widget.setUp(body, plugin.demo.endpoint, plugin);
    }
    container.append(card);
    views.get(plugin.id).card = article;
    showStatus(plugin, false);
  }
}

// AI: the shared chat route over every configured provider, streamed as Server-Sent Events.
function setUpChat(body, endpoint) {
  const form = find(body, 'form');
  const select = form.elements.provider;
  const prompt = form.elements.prompt;
  const send = find(form, '[type=submit]');
  const stop = find(form, '[data-stop]');
  const output = widgetOutput(body);
  const answer = find(body, '[data-answer]');
  const providers = new Map();
  let controller;

  loadProviders();
  document.addEventListener('access-token-changed', loadProviders);
  prompt.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  stop.addEventListener('click', () => controller?.abort());

  // The list is the app's, the same for every caller: a new token only matters until it loads.
  async function loadProviders() {
    if (providers.size > 0) return;
    send.disabled = true;
    if (!accessToken()) {
      output.note(tokenAdvice());
      return;
    }
    try {
      const list = (await getJson(`${endpoint}/providers`)).providers;
      for (const provider of list) providers.set(provider.id, provider);
      select.replaceChildren(...list.map((provider) => h('option', { value: provider.id }, `${provider.name} · ${provider.defaultModel}`)));
      if (list.length === 0) {
        output.error(`No AI provider is configured yet: set the API key of one in ${envFile} and restart.`);
        return;
      }
      output.clear();
      send.disabled = false;
    } catch (error) {
      output.error(error.message);
    }
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    controller = new AbortController();
    const started = performance.now();
    let firstTokenMs;
    let usage;
    let costUsd;
    let provider = select.value;
    output.clear();
    answer.textContent = '';
    answer.setAttribute('aria-busy', 'true');
    output.result.hidden = false;
    setBusy(send, true);
    stop.hidden = false;
    const showStats = () => {
      const info = providers.get(provider);
      output.stats([
        ['Provider', info ? info.name : provider],
        ['Model', info ? info.defaultModel : '—'],
        ['Tokens in', usage ? usage.inputTokens : '—'],
        ['Tokens out', usage ? usage.outputTokens : '—'],
        ['First token', firstTokenMs === undefined ? '—' : formatMs(firstTokenMs)],
        ['Time', formatMs(performance.now() - started)],
        ...(costUsd === undefined ? [] : [['Cost', formatUsd(costUsd)]]),
      ]);
    };
    try {
      const response = await request(`${endpoint}/chat`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'text/event-stream' },
        body: JSON.stringify({ provider, stream: true, messages: [{ role: 'user', content: prompt.value }] }),
        signal: controller.signal,
      });
      await readEventStream(response, (name, data) => {
        if (name === 'error') throw new Error(data.message);
        if (name !== 'message') return;
        if (firstTokenMs === undefined && data.text) firstTokenMs = performance.now() - started;
        if (data.provider) provider = data.provider;
        if (data.usage) usage = data.usage;
        if (data.costUsd !== undefined) costUsd = data.costUsd;
        answer.append(data.text);
      });
      showStats();
      announceUsage();
    } catch (error) {
      if (error.name === 'AbortError') {
        showStats();
        output.note('Stopped.');
      } else {
        output.result.hidden = answer.textContent === '';
        output.error(error.message);
      }
    } finally {
      answer.setAttribute('aria-busy', 'false');
      setBusy(send, false);
      stop.hidden = true;
    }
  });
}

// Voice in: a recording (MediaRecorder) or a chosen file, sent as multipart field "audio".
function setUpTranscription(body, endpoint) {
  const form = find(body, 'form');
  const record = find(form, '[data-record]');
  const timer = find(form, '[data-timer]');
  const fileInput = form.elements.audio;
  const preview = find(form, '[data-preview]');
  const submit = find(form, '[type=submit]');
  const output = widgetOutput(body);
  let audio;
  let recorder;
  let tick;
  let previewUrl;

  if (!window.MediaRecorder || !navigator.mediaDevices) {
    record.disabled = true;
    record.title = 'Recording needs a browser with MediaRecorder, on localhost or HTTPS.';
  }

  function choose(blob, name) {
    audio = blob && { blob, name };
    submit.disabled = !audio;
    if (previewUrl) URL.revokeObjectURL(previewUrl);
    previewUrl = blob ? URL.createObjectURL(blob) : undefined;
    preview.hidden = !blob;
    if (previewUrl) preview.src = previewUrl;
    else preview.removeAttribute('src');
  }

  fileInput.addEventListener('change', () => {
    const file = fileInput.files[0];
    choose(file, file?.name);
  });

  record.addEventListener('click', async () => {
    if (recorder) {
      recorder.stop();
      return;
    }
    output.clear();
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    } catch {
      output.error('The microphone is not available. Allow access to it, or choose a file instead.');
      return;
    }
    const type = ['audio/webm;codecs=opus', 'audio/webm', 'audio/ogg;codecs=opus', 'audio/mp4'].find((candidate) =>
      MediaRecorder.isTypeSupported(candidate),
    );
    recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    const chunks = [];
    const began = Date.now();
    recorder.addEventListener('dataavailable', (event) => chunks.push(event.data));
    recorder.addEventListener('stop', () => {
      for (const track of stream.getTracks()) track.stop();
      clearInterval(tick);
      const mimeType = recorder.mimeType || 'audio/webm';
      recorder = undefined;
      record.textContent = 'Record again';
      record.classList.remove('recording');
      record.setAttribute('aria-pressed', 'false');
      fileInput.value = '';
      choose(
        new Blob(chunks, { type: mimeType }),
        `recording.${mimeType.includes('mp4') ? 'm4a' : mimeType.includes('ogg') ? 'ogg' : 'webm'}`,
      );
    });
    recorder.start();
    record.textContent = 'Stop recording';
    record.classList.add('recording');
    record.setAttribute('aria-pressed', 'true');
    timer.hidden = false;
    timer.textContent = '0:00';
    tick = setInterval(() => {
      const seconds = Math.floor((Date.now() - began) / 1000);
      timer.textContent = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
    }, 250);
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!audio) return;
    const data = new FormData();
    data.append('audio', audio.blob, audio.name);
    const started = performance.now();
    runAction(submit, output, async () => {
      const result = await postJson(endpoint, data);
      find(body, '[data-transcript]').textContent = result.transcript || '(No speech recognised.)';
      output.stats([
        ['Audio', formatSeconds(result.durationSeconds)],
        ['Confidence', `${Math.round(result.confidence * 100)}%`],
        ['Time', formatMs(performance.now() - started)],
      ]);
      output.result.hidden = false;
      announceUsage();
    });
  });
}

// Voice out: the synthesized audio arrives as a stream; it plays from an object URL.
function setUpSpeech(body, endpoint) {
  const form = find(body, 'form');
  const submit = find(form, '[type=submit]');
  const player = find(body, '[data-audio]');
  const output = widgetOutput(body);
  let audioUrl;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const started = performance.now();
    runAction(submit, output, async () => {
      const response = await request(endpoint, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ text: form.elements.text.value }),
      });
      const blob = await response.blob();
      if (audioUrl) URL.revokeObjectURL(audioUrl);
      audioUrl = URL.createObjectURL(blob);
      player.src = audioUrl;
      output.stats([
        ['Format', blob.type || response.headers.get('Content-Type') || '—'],
        ['Size', formatBytes(blob.size)],
        ['Time', formatMs(performance.now() - started)],
      ]);
      output.result.hidden = false;
      player.play().catch(() => output.note('Press play to listen.'));
      announceUsage();
    });
  });
}

// Storage: upload, then download the same key and compare the bytes, then delete it.
function setUpStorage(body, endpoint) {
  const form = find(body, 'form');
  const submit = find(form, '[type=submit]');
  const download = find(body, '[data-download]');
  const save = find(body, '[data-save]');
  const remove = find(body, '[data-delete]');
  const output = widgetOutput(body);
  let uploaded;
  let saveUrl;

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const file = form.elements.file.files[0];
    if (!file) return;
    const data = new FormData();
    data.append('file', file);
    runAction(submit, output, async () => {
      const stored = await postJson(`${endpoint}/upload`, data);
      uploaded = { key: stored.key, file };
      output.stats([
        ['Key', stored.key],
        ['Size', formatBytes(stored.size)],
      ]);
      output.result.hidden = false;
      save.hidden = true;
      download.disabled = false;
      remove.disabled = false;
      output.success('Uploaded.');
    });
  });

  download.addEventListener('click', () =>
    runAction(download, output, async () => {
      const response = await request(`${endpoint}/${encodePath(uploaded.key)}`);
      const copy = await response.blob();
      const same = await sameBytes(copy, uploaded.file);
      if (saveUrl) URL.revokeObjectURL(saveUrl);
      saveUrl = URL.createObjectURL(copy);
      save.href = saveUrl;
      save.download = uploaded.file.name;
      save.hidden = false;
      if (same) output.success(`Downloaded ${formatBytes(copy.size)}: identical to the file sent.`);
      else output.error(`Downloaded ${formatBytes(copy.size)}, but the bytes differ from the file sent.`);
    }),
  );

  remove.addEventListener('click', () =>
    runAction(remove, output, async () => {
      await request(`${endpoint}/${encodePath(uploaded.key)}`, { method: 'DELETE' });
      download.disabled = true;
      remove.disabled = true;
      save.hidden = true;
      output.success(`Deleted ${uploaded.key}.`);
    }),
  );
}

// Media: upload an image, ask the app for a transformation URL, preview it, delete the asset.
function setUpMedia(body, endpoint) {
  const form = find(body, 'form');
  const submit = find(form, '[type=submit]');
  const preview = find(body, '[data-preview]');
  const remove = find(body, '[data-delete]');
  const output = widgetOutput(body);
  let asset;

  preview.addEventListener('error', () => {
    preview.hidden = true;
    output.note('The preview could not be loaded from the CDN.');
  });

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const file = form.elements.file.files[0];
    if (!file) return;
    const data = new FormData();
    data.append('file', file);
    runAction(submit, output, async () => {
      asset = await postJson(`${endpoint}/upload`, data);
      const transformed = await getJson(`${endpoint}/${encodePath(asset.id)}/transform?width=640&height=360&crop=fill`);
      const url = webUrl(transformed.url);
      preview.alt = `Preview of ${file.name}, resized to 640 by 360`;
      preview.src = url;
      preview.hidden = false;
      const size = asset.width ? `${asset.width} × ${asset.height} ` : '';
      output.stats([
        ['Public id', asset.id],
        ['Original', `${size}${asset.format}, ${formatBytes(asset.bytes)}`],
        [
          'Transformed URL',
          h(
            'a',
            { href: url, target: '_blank', rel: 'noopener noreferrer', class: 'link' },
            url,
            h('span', { class: 'visually-hidden' }, ' (opens in a new tab)'),
          ),
        ],
      ]);
      output.result.hidden = false;
      remove.disabled = false;
    });
  });

  remove.addEventListener('click', () =>
    runAction(remove, output, async () => {
      await request(`${endpoint}/${encodePath(asset.id)}?resourceType=${encodeURIComponent(asset.resourceType)}`, {
        method: 'DELETE',
      });
      remove.disabled = true;
      preview.hidden = true;
      output.success(`Deleted ${asset.id}.`);
    }),
  );
}

// Payments: amounts go to Stripe in the smallest unit (cents), to PayPal as a decimal string.
function setUpPaymentIntent(body, endpoint) {
  const form = find(body, 'form');
  submitForm(form, widgetOutput(body), async (output) => {
    const amount = Math.round(Number(form.elements.amount.value) * 100);
    const intent = await postJson(endpoint, { amount, currency: form.elements.currency.value, metadata: { source: 'health page' } });
    output.stats([
      ['Payment intent', intent.id],
      ['Status', intent.status],
      ['Amount', `${form.elements.amount.value} ${form.elements.currency.value.toUpperCase()}`],
    ]);
    output.result.hidden = false;
  });
}

function setUpPayPalOrder(body, endpoint) {
  const form = find(body, 'form');
  const approve = find(body, '[data-approve]');
  submitForm(form, widgetOutput(body), async (output) => {
    const order = await postJson(endpoint, {
      amount: form.elements.amount.value,
      currency: form.elements.currency.value,
      description: 'Health page test order',
    });
    output.stats([
      ['Order', order.id],
      ['Status', order.status],
    ]);
    approve.href = webUrl(order.approveUrl);
    output.result.hidden = false;
  });
}

function setUpEmail(body, endpoint, plugin) {
  const form = find(body, 'form');
  submitForm(form, widgetOutput(body), async (output) => {
    const to = form.elements.to.value;
    const sent = await postJson(endpoint, {
      to,
      subject: `Test email from ${document.body.dataset.app}`,
      text: `This test message was sent from the health page, through ${plugin.name}.`,
    });
    const id = sent.messageId || sent.id;
    output.success(`${plugin.name} accepted the message to ${to}${id ? ` (id ${id}).` : '.'}`);
  });
}

function setUpSignIn(body, endpoint) {
  find(body, '[data-sign-in]').href = root + endpoint;
}

function setUpUsage(body, endpoint) {
  const refresh = find(body, '[data-refresh]');
  const output = widgetOutput(body);
  let pending;

  async function load() {
    if (!accessToken()) {
      output.note(tokenAdvice());
      return;
    }
    setBusy(refresh, true);
    try {
      const usage = await getJson(endpoint);
      find(body, '[data-range]').textContent = `${usage.from} to ${usage.to}`;
      fillTable(body, usage.totals, (total) => [
        total.provider,
        number(total.calls),
        number(total.inputTokens),
        number(total.outputTokens),
        total.seconds ? formatSeconds(total.seconds) : '—',
        total.characters ? number(total.characters) : '—',
        total.costUsd === null ? '—' : formatUsd(total.costUsd),
      ]);
      output.clear();
    } catch (error) {
      output.error(error.message);
    } finally {
      setBusy(refresh, false);
    }
  }

  refresh.addEventListener('click', load);
  document.addEventListener('access-token-changed', load);
  // Other demos announce their calls; the table follows without a click.
  document.addEventListener('usage-recorded', () => {
    clearTimeout(pending);
    pending = setTimeout(load, 300);
  });
  load();
}

// Listed on request, not on load: even masked, keys are shown only when someone asks for them.
function setUpApiKeys(body, endpoint) {
  submitForm(find(body, 'form'), widgetOutput(body), async () => {
    const { keys } = await getJson(endpoint);
    fillTable(body, keys, (key) => [
      key.label,
      key.provider,
      h('code', {}, key.key),
      number(key.usage.calls),
      key.enabled ? 'Enabled' : 'Disabled',
    ]);
  });
}

// ---- Widget helpers ---------------------------------------------------------------------

// The result area and status line every widget has.
function widgetOutput(body) {
  const message = find(body, '[data-message]');
  const result = body.querySelector('[data-result]');
  const statsList = body.querySelector('[data-stats]');
  const say = (tone, text) => {
    message.className = `message ${tone}`;
    message.textContent = text;
  };
  return {
    result: result || document.createElement('div'),
    clear: () => say('', ''),
    note: (text) => say('', text),
    success: (text) => say('success', text),
    error: (text) => say('error', text),
    stats: (pairs) => statsList.replaceChildren(...pairs.map(([term, value]) => h('div', {}, h('dt', {}, term), h('dd', {}, value)))),
  };
}

function submitForm(form, output, action) {
  const submit = find(form, '[type=submit]');
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    runAction(submit, output, () => action(output));
  });
}

// One row per item; a cell is right-aligned when its column header is.
function fillTable(body, items, cells) {
  const numeric = Array.from(body.querySelectorAll('th'), (header) => header.classList.contains('number'));
  find(body, '[data-rows]').replaceChildren(
    ...items.map((item) => h('tr', {}, ...cells(item).map((value, index) => h('td', { class: numeric[index] ? 'number' : '' }, value)))),
  );
  find(body, '[data-table]').hidden = items.length === 0;
  find(body, '[data-empty]').hidden = items.length > 0;
}

function announceUsage() {
  document.dispatchEvent(new CustomEvent('usage-recorded'));
}

// ---- Access token -----------------------------------------------------------------------

// The field keeps the token in this tab's session storage as it is typed; a new token, once
// entered (Enter, or leaving the field), reloads the demos that load on their own.
function setUpAccessToken() {
  const form = document.getElementById('access');
  const input = form.elements.token;
  let applied = accessToken();
  input.value = applied;
  input.addEventListener('input', () => {
    const token = input.value.trim();
    if (token) sessionStorage.setItem(tokenStorageKey, token);
    else sessionStorage.removeItem(tokenStorageKey);
  });
  const apply = () => {
    if (accessToken() === applied) return;
    applied = accessToken();
    document.dispatchEvent(new CustomEvent('access-token-changed'));
  };
  input.addEventListener('change', apply);
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    apply();
  });
}

function accessToken() {
  return sessionStorage.getItem(tokenStorageKey) || '';
}

// With jwt-service installed, admin tokens are minted with its script (API_TOKEN is then refused);
// without it, API_TOKEN is the one token.
function describeTokenSource(plugins) {
  const hasJwtService = plugins.some((plugin) => plugin.id === 'jwt-service');
  mintCommand = hasJwtService ? `npx tsx --env-file=${envFile} src/auth/jwt-service/mint-token.ts you@example.com --admin` : undefined;
  const source = find(document.getElementById('access'), '[data-source]');
  if (mintCommand) source.replaceChildren('Mint an admin token with ', h('code', {}, mintCommand), '.');
  else source.replaceChildren('Use the ', h('code', {}, 'API_TOKEN'), ` from ${envFile}.`);
}

// What a demo says when it has no token, or when the app refused the one it sent.
function tokenAdvice(refusal) {
  const remedy = mintCommand ? `Paste an admin token above; mint one with ${mintCommand}` : `Paste the API_TOKEN from ${envFile} above.`;
  return `${refusal || 'This demo needs an access token.'} ${remedy}`;
}

// ---- Requests ---------------------------------------------------------------------------

// Every request goes through here, with the access token. Resolves with the response when it is a
// success; otherwise rejects with the app's own message.
async function request(path, init) {
  const headers = new Headers(init?.headers);
  const token = accessToken();
  if (token) headers.set('Authorization', `Bearer ${token}`);
  let response;
  try {
    response = await fetch(root + path, { ...init, headers });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new Error('The app could not be reached. Is the server still running?');
  }
  if (!response.ok) throw await describeFailure(response, token !== '');
  return response;
}

async function getJson(path) {
  return (await request(path)).json();
}

// JSON bodies are sent as JSON, FormData as multipart.
async function postJson(path, payload) {
  const isForm = payload instanceof FormData;
  const response = await request(path, {
    method: 'POST',
    headers: isForm ? {} : { 'Content-Type': 'application/json' },
    body: isForm ? payload : JSON.stringify(payload),
  });
  return response.json();
}

async function describeFailure(response, sentToken) {
  let message = `The request failed with status ${response.status}.`;
  try {
    const { error } = await response.json();
    message = error.message;
    if (Array.isArray(error.details)) {
      const issues = error.details.map((issue) => (issue.path ? `${issue.path} ${issue.message}` : issue.message));
      message += ` ${issues.join('; ')}.`;
    }
  } catch {
    // Not a JSON error from this app (e.g. a proxy's page): the status says enough.
  }
  // The app's words are for API clients ("send an Authorization header"); the page says where a token comes from.
  if (response.status === 401 && !sentToken) message = tokenAdvice();
  else if (response.status === 401 || response.status === 403) message = tokenAdvice(message);
  return new Error(message);
}

// Server-Sent Events from fetch: split on blank lines, hand each event's name and JSON data on.
async function readEventStream(response, onEvent) {
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffered += value;
    for (let end = buffered.indexOf('\n\n'); end !== -1; end = buffered.indexOf('\n\n')) {
      const block = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      let name = 'message';
      let data = '';
      for (const line of block.split('\n')) {
        if (line.startsWith('event:')) name = line.slice(6).trim();
        else if (line.startsWith('data:')) data += line.slice(5).trim();
      }
      if (name === 'done') return;
      if (data) onEvent(name, JSON.parse(data));
    }
  }
}

// ---- Small utilities --------------------------------------------------------------------

function h(tag, attributes, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) if (value) element.setAttribute(name, value);
  element.append(...children.map((child) => (child instanceof Node ? child : String(child))));
  return element;
}

function cloneTemplate(id) {
  return document.getElementById(id).content.cloneNode(true);
}

function find(scope, selector) {
  return scope.querySelector(selector);
}

function setBadge(badge, tone, label) {
  badge.className = `badge ${tone}`;
  badge.textContent = label;
}

function setBusy(button, busy) {
  button.disabled = busy;
  button.setAttribute('aria-busy', String(busy));
}

// One button's action: the widget's output cleared, the button busy while it runs, its error shown.
// It handles its own errors, so the event listeners that call it need not await it.
async function runAction(button, output, action) {
  output.clear();
  setBusy(button, true);
  try {
    await action();
  } catch (error) {
    output.error(error.message);
  } finally {
    setBusy(button, false);
  }
}

async function sameBytes(a, b) {
  if (a.size !== b.size) return false;
  const [left, right] = await Promise.all([a.arrayBuffer(), b.arrayBuffer()]);
  const x = new Uint8Array(left);
  const y = new Uint8Array(right);
  return x.every((byte, index) => byte === y[index]);
}

// Links from providers go into href and src only when they are web addresses (never javascript:).
function webUrl(value) {
  const url = new URL(value, location.href);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('The provider answered with an unexpected link.');
  return url.href;
}

// Keys and public ids may hold slashes: each segment is encoded, the slashes stay.
function encodePath(key) {
  return key.split('/').map(encodeURIComponent).join('/');
}

function plural(count, noun) {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function number(value) {
  return (value || 0).toLocaleString('en-US');
}

function formatMs(ms) {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function formatSeconds(seconds) {
  return seconds < 60 ? `${seconds.toFixed(1)} s` : `${Math.floor(seconds / 60)} min ${Math.round(seconds % 60)} s`;
}

function formatBytes(bytes) {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

// Single calls cost fractions of a cent: up to six decimals, trailing zeros dropped.
function formatUsd(usd) {
  if (usd === 0) return '$0 (free)';
  if (usd < 0.000001) return '< $0.000001';
  return (
    '$' +
    usd
      .toFixed(usd < 0.01 ? 6 : 4)
      .replace(/0+$/, '')
      .replace(/\.$/, '')
  );
}

function clock() {
  return new Date().toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
