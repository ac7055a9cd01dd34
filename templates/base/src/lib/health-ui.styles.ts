/** The health page's stylesheet, served as `GET /health/ui/styles.css`: light and dark, phone to desktop. */
export const healthPageStyles = String.raw`
:root {
  color-scheme: light dark;
  --bg: #f5f6f8;
  --surface: #ffffff;
  --surface-2: #f1f3f6;
  --border: #e1e4e9;
  --border-strong: #c9ced6;
  --text: #1a1d22;
  --muted: #59616c;
  --accent: #3b5bdb;
  --accent-hover: #324fc4;
  --link: #3451c7;
  --on-accent: #ffffff;
  --focus: #3b5bdb;
  --ok: #17692f;
  --ok-soft: #e7f5ec;
  --warn: #8a5a00;
  --warn-soft: #fdf3d8;
  --danger: #b42318;
  --danger-soft: #fdecea;
  --neutral: #4b535e;
  --neutral-soft: #eceef2;
  --shadow: 0 1px 2px rgb(16 24 40 / 0.05);
  --radius: 12px;
  --radius-small: 8px;
  --mono: ui-monospace, SFMono-Regular, 'SF Mono', Menlo, Consolas, 'Liberation Mono', monospace;
}

@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0e1014;
    --surface: #161920;
    --surface-2: #1d2129;
    --border: #272c35;
    --border-strong: #3a414d;
    --text: #e7e9ec;
    --muted: #9ba3ae;
    --accent: #4263eb;
    --accent-hover: #3b5bdb;
    --link: #91a7ff;
    --on-accent: #ffffff;
    --focus: #91a7ff;
    --ok: #5fd383;
    --ok-soft: #14291c;
    --warn: #e8b64c;
    --warn-soft: #2e2512;
    --danger: #ff8a80;
    --danger-soft: #34191a;
    --neutral: #b4bcc6;
    --neutral-soft: #232831;
    --shadow: none;
  }
}

*,
*::before,
*::after {
  box-sizing: border-box;
}

html {
  -webkit-text-size-adjust: 100%;
}

body {
  margin: 0;
  background: var(--bg);
  color: var(--text);
  font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif;
}

h1,
h2,
h3,
p,
dl,
dd,
ul {
  margin: 0;
}

ul {
  padding: 0;
  list-style: none;
}

a {
  color: var(--link);
  text-underline-offset: 2px;
}

code,
.mono {
  font-family: var(--mono);
  font-size: 0.86em;
}

:focus-visible {
  outline: 2px solid var(--focus);
  outline-offset: 2px;
}

[hidden] {
  display: none !important;
}

.visually-hidden {
  position: absolute;
  width: 1px;
  height: 1px;
  overflow: hidden;
  clip: rect(0 0 0 0);
  white-space: nowrap;
}

.skip-link {
  position: absolute;
  left: 12px;
  top: -48px;
  z-index: 2;
  padding: 8px 12px;
  border-radius: var(--radius-small);
  background: var(--surface);
  color: var(--text);
}

.skip-link:focus {
  top: 12px;
}

.wrap {
  width: 100%;
  max-width: 1120px;
  margin: 0 auto;
  padding: 0 20px;
}

/* Header */

.topbar {
  border-bottom: 1px solid var(--border);
  background: var(--surface);
}

.topbar-inner {
  display: flex;
  flex-wrap: wrap;
  gap: 12px 24px;
  align-items: center;
  justify-content: space-between;
  padding-top: 18px;
  padding-bottom: 18px;
}

.brand {
  display: flex;
  gap: 12px;
  align-items: center;
  min-width: 0;
}

.brand-mark {
  flex: none;
  width: 36px;
  height: 36px;
}

.brand h1 {
  font-size: 1.125rem;
  font-weight: 650;
  line-height: 1.3;
  overflow-wrap: anywhere;
}

.topbar-actions {
  display: flex;
  flex-wrap: wrap;
  gap: 10px 12px;
  align-items: center;
}

.summary {
  display: flex;
  gap: 10px;
  align-items: center;
  font-size: 0.9rem;
}

/* Status beside the demos on wide screens, above them on narrow ones */

.layout {
  display: grid;
  gap: 32px;
  align-items: start;
  padding-top: 28px;
  padding-bottom: 56px;
}

@media (min-width: 1000px) {
  .layout {
    grid-template-columns: minmax(300px, 360px) minmax(0, 1fr);
  }
}

.section-head {
  display: flex;
  flex-wrap: wrap;
  gap: 4px 16px;
  align-items: baseline;
  justify-content: space-between;
  margin-bottom: 14px;
}

.section-head h2 {
  font-size: 1.0625rem;
  font-weight: 650;
}

.subtle {
  color: var(--muted);
  font-size: 0.875rem;
}

/* Status badges */

.badge {
  display: inline-flex;
  flex: none;
  gap: 6px;
  align-items: center;
  padding: 2px 10px;
  border-radius: 999px;
  background: var(--neutral-soft);
  color: var(--neutral);
  font-size: 0.8125rem;
  font-weight: 550;
  white-space: nowrap;
}

.badge::before {
  content: '';
  width: 7px;
  height: 7px;
  border-radius: 50%;
  background: currentColor;
}

.badge.ok {
  background: var(--ok-soft);
  color: var(--ok);
}

.badge.warn {
  background: var(--warn-soft);
  color: var(--warn);
}

.badge.danger {
  background: var(--danger-soft);
  color: var(--danger);
}

.badge.busy::before {
  animation: pulse 1s ease-in-out infinite;
}

@keyframes pulse {
  50% {
    opacity: 0.25;
  }
}

/* Plugin list */

.plugin-list {
  overflow: hidden;
  border: 1px solid var(--border);
  border-radius: var(--radius);
  background: var(--surface);
  box-shadow: var(--shadow);
}

.plugin {
  display: grid;
  grid-template-columns: minmax(0, 1fr) auto;
  gap: 2px 12px;
  align-items: center;
  padding: 12px 16px;
}

.plugin + .plugin {
  border-top: 1px solid var(--border);
}

.plugin-name {
  min-width: 0;
  font-weight: 600;
  overflow-wrap: anywhere;
}

.plugin-meta {
  display: flex;
  flex-wrap: wrap;
  grid-column: 1 / -1;
  gap: 0 10px;
  color: var(--muted);
  font-size: 0.8125rem;
  overflow-wrap: anywhere;
}

.plugin-detail {
  grid-column: 1 / -1;
  margin-top: 4px;
  color: var(--muted);
  font-size: 0.875rem;
  overflow-wrap: anywhere;
}

.plugin-detail.danger {
  color: var(--danger);
}

.plugin-detail code {
  padding: 1px 6px;
  border-radius: 6px;
  background: var(--surface-2);
  color: var(--text);
}

/* Access token */

.access-panel {
  display: grid;
  gap: 8px 20px;
  align-items: end;
  margin-bottom: 16px;
  padding: 14px 16px;
  border: 1px solid var(--border);
  border-radius: var(--radius);
  background: var(--surface);
  box-shadow: var(--shadow);
}

@media (min-width: 700px) {
  .access-panel {
    grid-template-columns: minmax(200px, 300px) minmax(0, 1fr);
  }
}

.access-panel .hint {
  overflow-wrap: anywhere;
}

/* Demo cards */

.demo-grid {
  display: grid;
  grid-template-columns: repeat(auto-fill, minmax(min(100%, 300px), 1fr));
  gap: 16px;
  align-items: start;
}

.card {
  display: grid;
  gap: 14px;
  min-width: 0;
  padding: 18px;
  border: 1px solid var(--border);
  border-radius: var(--radius);
  background: var(--surface);
  box-shadow: var(--shadow);
}

.card.wide {
  grid-column: 1 / -1;
}

.card-head {
  display: flex;
  gap: 12px;
  align-items: flex-start;
  justify-content: space-between;
}

.card-kicker {
  color: var(--muted);
  font-size: 0.75rem;
  font-weight: 600;
  letter-spacing: 0.04em;
  text-transform: uppercase;
}

.card-title {
  font-size: 1rem;
  font-weight: 650;
}

.card-lead {
  color: var(--muted);
  font-size: 0.875rem;
}

.card-body {
  display: grid;
  gap: 12px;
  min-width: 0;
}

.unavailable-note {
  padding: 12px 14px;
  border-radius: var(--radius-small);
  background: var(--surface-2);
  color: var(--muted);
  font-size: 0.875rem;
  overflow-wrap: anywhere;
}

.stack {
  display: grid;
  gap: 12px;
  min-width: 0;
}

.row {
  display: flex;
  flex-wrap: wrap;
  gap: 12px;
  align-items: flex-end;
}

.row > .field {
  flex: 1 1 140px;
}

/* Form controls */

.field {
  display: grid;
  gap: 6px;
  min-width: 0;
}

.label {
  font-size: 0.8125rem;
  font-weight: 600;
}

.label .hint {
  font-weight: 400;
}

input:not([type='file']),
select,
textarea {
  width: 100%;
  min-width: 0;
  padding: 8px 11px;
  border: 1px solid var(--border-strong);
  border-radius: var(--radius-small);
  background: var(--surface);
  color: var(--text);
  font: inherit;
}

input:not([type='file']),
select {
  height: 40px;
}

textarea {
  resize: vertical;
  min-height: 76px;
}

input[type='file'] {
  width: 100%;
  max-width: 100%;
  color: var(--muted);
  font: inherit;
  font-size: 0.875rem;
}

input[type='file']::file-selector-button {
  margin-right: 10px;
  padding: 6px 12px;
  border: 1px solid var(--border-strong);
  border-radius: var(--radius-small);
  background: var(--surface-2);
  color: var(--text);
  font: inherit;
  cursor: pointer;
}

input:focus-visible,
select:focus-visible,
textarea:focus-visible {
  border-color: var(--focus);
  outline-offset: 0;
}

.actions {
  display: flex;
  flex-wrap: wrap;
  gap: 8px 10px;
  align-items: center;
}

.button {
  display: inline-flex;
  gap: 8px;
  align-items: center;
  justify-content: center;
  min-height: 36px;
  padding: 6px 14px;
  border: 1px solid var(--border-strong);
  border-radius: var(--radius-small);
  background: var(--surface);
  color: var(--text);
  font: inherit;
  font-size: 0.875rem;
  font-weight: 550;
  text-decoration: none;
  cursor: pointer;
}

.button:hover {
  background: var(--surface-2);
}

.button.primary {
  border-color: var(--accent);
  background: var(--accent);
  color: var(--on-accent);
}

.button.primary:hover {
  border-color: var(--accent-hover);
  background: var(--accent-hover);
}

.button:disabled {
  opacity: 0.55;
  cursor: not-allowed;
}

.button[aria-busy='true']::after {
  content: '';
  width: 12px;
  height: 12px;
  border: 2px solid currentColor;
  border-right-color: transparent;
  border-radius: 50%;
  animation: spin 0.8s linear infinite;
}

.button.recording {
  border-color: var(--danger);
  color: var(--danger);
}

.button.recording::before {
  content: '';
  width: 8px;
  height: 8px;
  border-radius: 50%;
  background: currentColor;
  animation: pulse 1s ease-in-out infinite;
}

@keyframes spin {
  to {
    transform: rotate(360deg);
  }
}

.hint {
  color: var(--muted);
  font-size: 0.8125rem;
}

/* Results */

.result {
  display: grid;
  gap: 12px;
  min-width: 0;
  padding: 14px;
  border-radius: var(--radius-small);
  background: var(--surface-2);
}

.answer {
  white-space: pre-wrap;
  overflow-wrap: anywhere;
}

.answer:empty::before {
  content: '…';
  color: var(--muted);
}

.stats {
  display: flex;
  flex-wrap: wrap;
  gap: 8px 20px;
  font-size: 0.8125rem;
}

.stats div {
  min-width: 0;
}

.stats dt {
  color: var(--muted);
}

.stats dd {
  font-weight: 600;
  font-variant-numeric: tabular-nums;
  overflow-wrap: anywhere;
}

.message {
  font-size: 0.875rem;
  overflow-wrap: anywhere;
}

.message:empty {
  display: none;
}

.message.error {
  color: var(--danger);
}

.message.success {
  color: var(--ok);
}

audio {
  width: 100%;
  height: 40px;
}

.preview {
  display: block;
  max-width: 100%;
  height: auto;
  border-radius: var(--radius-small);
  background: var(--surface);
}

.link {
  overflow-wrap: anywhere;
}

.table-wrap {
  overflow-x: auto;
  border: 1px solid var(--border);
  border-radius: var(--radius-small);
}

table {
  width: 100%;
  border-collapse: collapse;
  font-size: 0.8125rem;
  font-variant-numeric: tabular-nums;
}

th,
td {
  padding: 8px 10px;
  border-bottom: 1px solid var(--border);
  text-align: left;
  white-space: nowrap;
}

th {
  background: var(--surface-2);
  color: var(--muted);
  font-weight: 600;
}

tbody tr:last-child td {
  border-bottom: 0;
}

td.number,
th.number {
  text-align: right;
}

.empty {
  color: var(--muted);
  font-size: 0.875rem;
}

@media (max-width: 600px) {
  .wrap {
    padding: 0 14px;
  }

  .layout {
    gap: 28px;
    padding-top: 20px;
  }

  .plugin {
    padding: 12px 14px;
  }

  .card {
    padding: 16px 14px;
  }
}

/* Touch screens have no Ctrl key to press */
@media (hover: none) and (pointer: coarse) {
  .keyboard-hint {
    display: none;
  }
}

@media (prefers-reduced-motion: reduce) {
  *,
  *::before,
  *::after {
    animation: none !important;
  }
}
`;
