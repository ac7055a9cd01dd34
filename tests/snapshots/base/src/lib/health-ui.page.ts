/**
 * The health page, served as `GET /health/ui`. Its script fills in the plugins and their demos
 * from `GET /health`; the `<template>` elements below are the markup of each demo widget.
 */
export const healthPage = String.raw`<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <meta name="color-scheme" content="light dark">
  <meta name="referrer" content="no-referrer">
  <title>snapshot-app · Health</title>
  <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 32 32'%3E%3Crect width='32' height='32' rx='8' fill='%233b5bdb'/%3E%3Cpath d='M6 17h5l2.5-6 5 11 2.5-5h5' fill='none' stroke='white' stroke-width='2.5' stroke-linecap='round' stroke-linejoin='round'/%3E%3C/svg%3E">
  <link rel="stylesheet" href="ui/styles.css">
  <script src="ui/app.js" defer></script>
</head>
<body data-app="snapshot-app" data-env-file=".env">
  <a class="skip-link" href="#main">Skip to content</a>
  <header class="topbar">
    <div class="wrap topbar-inner">
      <div class="brand">
        <svg class="brand-mark" viewBox="0 0 32 32" aria-hidden="true">
          <rect width="32" height="32" rx="8" fill="#3b5bdb"/>
          <path d="M6 17h5l2.5-6 5 11 2.5-5h5" fill="none" stroke="#fff" stroke-width="2.5" stroke-linecap="round" stroke-linejoin="round"/>
        </svg>
        <div>
          <h1>snapshot-app</h1>
          <p class="subtle">Plugin health and live demos</p>
        </div>
      </div>
      <div class="topbar-actions">
        <p class="summary" role="status" aria-live="polite">
          <span id="overall" class="badge busy">Loading</span>
          <span id="counts" class="subtle"></span>
        </p>
        <button id="recheck" class="button" type="button" disabled>Run live checks</button>
      </div>
    </div>
  </header>

  <main id="main" class="wrap layout">
    <section class="status-panel" aria-labelledby="plugins-title">
      <div class="section-head">
        <h2 id="plugins-title">Plugins</h2>
        <p id="checked-at" class="subtle">Reading the configuration…</p>
      </div>
      <ul id="plugins" class="plugin-list" aria-describedby="checked-at"></ul>
      <p id="no-plugins" class="empty" hidden>No plugins yet. Add some with <code>npx create-provider-app add &lt;id&gt;</code>.</p>
    </section>

    <section class="demos" aria-labelledby="demos-title">
      <div class="section-head">
        <h2 id="demos-title">Try it</h2>
        <p class="subtle">Every demo calls this app's own routes: provider keys never leave the server.</p>
      </div>
      <form id="access" class="access-panel">
        <label class="field">
          <span class="label">Access token</span>
          <input type="password" name="token" autocomplete="off" spellcheck="false" aria-describedby="access-hint">
        </label>
        <p id="access-hint" class="hint">Sent as <code>Authorization: Bearer</code> with every request this page makes, and kept in this tab only. <span data-source></span></p>
      </form>
      <div id="demos" class="demo-grid"></div>
      <p id="no-demos" class="empty" hidden>None of the installed plugins has a demo.</p>
    </section>
  </main>

  <noscript><p class="wrap">This page needs JavaScript. The same data is at <a href="../health">/health</a>.</p></noscript>

  <template id="plugin-row">
    <li class="plugin">
      <strong class="plugin-name" data-name></strong>
      <span class="badge" data-badge></span>
      <p class="plugin-meta"><code data-id></code><code data-mount></code></p>
      <p class="plugin-detail" data-detail hidden></p>
    </li>
  </template>

  <template id="demo-card">
    <article class="card">
      <div class="card-head">
        <div>
          <p class="card-kicker" data-kicker></p>
          <h3 class="card-title" data-title></h3>
        </div>
        <span class="badge" data-badge></span>
      </div>
      <p class="card-lead" data-lead></p>
      <div class="card-body" data-body></div>
    </article>
  </template>

  <template id="widget-ai">
    <form class="stack">
      <label class="field">
        <span class="label">Provider</span>
        <select name="provider" required></select>
      </label>
      <label class="field">
        <span class="label">Prompt</span>
        <textarea name="prompt" rows="3" required>In one sentence, what is a health check?</textarea>
      </label>
      <div class="actions">
        <button class="button primary" type="submit">Send</button>
        <button class="button" type="button" data-stop hidden>Stop</button>
        <span class="hint keyboard-hint">Ctrl + Enter sends</span>
      </div>
    </form>
    <div class="result" data-result hidden>
      <p class="answer" data-answer aria-live="polite"></p>
      <dl class="stats" data-stats></dl>
    </div>
    <p class="message" data-message role="status"></p>
  </template>

  <template id="widget-transcribe">
    <form class="stack">
      <div class="actions">
        <button class="button" type="button" data-record>Record</button>
        <span class="hint" data-timer aria-live="off" hidden>0:00</span>
      </div>
      <label class="field">
        <span class="label">Or choose an audio file</span>
        <input type="file" name="audio" accept="audio/*,video/*">
      </label>
      <audio controls data-preview hidden></audio>
      <div class="actions">
        <button class="button primary" type="submit" disabled>Transcribe</button>
      </div>
    </form>
    <div class="result" data-result hidden>
      <p class="answer" data-transcript></p>
      <dl class="stats" data-stats></dl>
    </div>
    <p class="message" data-message role="status"></p>
  </template>

  <template id="widget-speech">
    <form class="stack">
      <label class="field">
        <span class="label">Text</span>
        <textarea name="text" rows="2" maxlength="5000" required>Hello! Your voice plugin is working.</textarea>
      </label>
      <div class="actions">
        <button class="button primary" type="submit">Speak</button>
      </div>
    </form>
    <div class="result" data-result hidden>
      <audio controls data-audio></audio>
      <dl class="stats" data-stats></dl>
    </div>
    <p class="message" data-message role="status"></p>
  </template>

  <template id="widget-storage">
    <form class="stack">
      <label class="field">
        <span class="label">File</span>
        <input type="file" name="file" required>
      </label>
      <div class="actions">
        <button class="button primary" type="submit">Upload</button>
      </div>
    </form>
    <div class="result" data-result hidden>
      <dl class="stats" data-stats></dl>
      <div class="actions">
        <button class="button" type="button" data-download>Download</button>
        <a class="button" data-save hidden>Save copy</a>
        <button class="button" type="button" data-delete>Delete</button>
      </div>
    </div>
    <p class="message" data-message role="status"></p>
  </template>

  <template id="widget-media">
    <form class="stack">
      <label class="field">
        <span class="label">Image</span>
        <input type="file" name="file" accept="image/*" required>
      </label>
      <div class="actions">
        <button class="button primary" type="submit">Upload</button>
      </div>
    </form>
    <div class="result" data-result hidden>
      <img class="preview" data-preview alt="" width="640" height="360" hidden>
      <dl class="stats" data-stats></dl>
      <div class="actions">
        <button class="button" type="button" data-delete>Delete</button>
      </div>
    </div>
    <p class="message" data-message role="status"></p>
  </template>

  <template id="widget-payment-intent">
    <form class="stack">
      <div class="row">
        <label class="field">
          <span class="label">Amount</span>
          <input type="number" name="amount" value="1.00" min="0.5" max="999999" step="0.01" inputmode="decimal" required>
        </label>
        <label class="field">
          <span class="label">Currency</span>
          <select name="currency">
            <option value="usd">USD</option>
            <option value="eur">EUR</option>
            <option value="gbp">GBP</option>
          </select>
        </label>
      </div>
      <div class="actions">
        <button class="button primary" type="submit">Create payment intent</button>
      </div>
    </form>
    <div class="result" data-result hidden>
      <dl class="stats" data-stats></dl>
    </div>
    <p class="message" data-message role="status"></p>
  </template>

  <template id="widget-paypal-order">
    <form class="stack">
      <div class="row">
        <label class="field">
          <span class="label">Amount</span>
          <input type="text" name="amount" value="1.00" inputmode="decimal" pattern="\d{1,10}(\.\d{1,2})?" required>
        </label>
        <label class="field">
          <span class="label">Currency</span>
          <select name="currency">
            <option>USD</option>
            <option>EUR</option>
            <option>GBP</option>
          </select>
        </label>
      </div>
      <div class="actions">
        <button class="button primary" type="submit">Create order</button>
      </div>
    </form>
    <div class="result" data-result hidden>
      <dl class="stats" data-stats></dl>
      <a class="button" data-approve target="_blank" rel="noopener noreferrer">Open the approval page<span class="visually-hidden"> (opens in a new tab)</span></a>
    </div>
    <p class="message" data-message role="status"></p>
  </template>

  <template id="widget-email">
    <form class="stack">
      <label class="field">
        <span class="label">Send a test email to</span>
        <input type="email" name="to" autocomplete="email" placeholder="you@example.com" required>
      </label>
      <div class="actions">
        <button class="button primary" type="submit">Send test email</button>
      </div>
    </form>
    <p class="message" data-message role="status"></p>
  </template>

  <template id="widget-sign-in">
    <div class="actions">
      <a class="button primary" data-sign-in>Sign in with Google</a>
    </div>
    <p class="hint">Google sends you back to the callback route, which answers with a token for this app.</p>
  </template>

  <template id="widget-usage">
    <div class="stack">
      <div class="table-wrap" data-table hidden>
        <table>
          <caption class="visually-hidden">Usage by provider</caption>
          <thead>
            <tr>
              <th scope="col">Provider</th>
              <th scope="col" class="number">Calls</th>
              <th scope="col" class="number">Tokens in</th>
              <th scope="col" class="number">Tokens out</th>
              <th scope="col" class="number">Audio</th>
              <th scope="col" class="number">Characters</th>
              <th scope="col" class="number">Cost</th>
            </tr>
          </thead>
          <tbody data-rows></tbody>
        </table>
      </div>
      <p class="empty" data-empty hidden>No calls recorded in this period yet. Try a demo above.</p>
      <div class="actions">
        <button class="button" type="button" data-refresh>Refresh</button>
        <span class="hint" data-range></span>
      </div>
    </div>
    <p class="message" data-message role="status"></p>
  </template>

  <template id="widget-api-keys">
    <form class="stack">
      <div class="actions">
        <button class="button primary" type="submit">List keys</button>
      </div>
    </form>
    <div class="table-wrap" data-table hidden>
      <table>
        <caption class="visually-hidden">Stored API keys</caption>
        <thead>
          <tr>
            <th scope="col">Label</th>
            <th scope="col">Provider</th>
            <th scope="col">Key</th>
            <th scope="col" class="number">Calls</th>
            <th scope="col">Status</th>
          </tr>
        </thead>
        <tbody data-rows></tbody>
      </table>
    </div>
    <p class="empty" data-empty hidden>No keys stored yet. Add one with <code>POST /api/keys</code>.</p>
    <p class="message" data-message role="status"></p>
  </template>
</body>
</html>
`;
