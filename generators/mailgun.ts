import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'mailgun',
  name: 'Mailgun',
  category: 'email',
  description: 'Transactional email and address validation through Mailgun',
  docsUrl: 'https://documentation.mailgun.com/docs/mailgun/api-reference/',
  // mailgun.js is given Node's own FormData: no form-data package.
  dependencies: { 'mailgun.js': '^14.0.1' },
  env: [
    {
      name: 'MAILGUN_API_KEY',
      required: true,
      secret: true,
      description: 'Private API key from https://app.mailgun.com/settings/api_security',
    },
    { name: 'MAILGUN_DOMAIN', required: true, example: 'mg.example.com', description: 'Sending domain' },
    {
      name: 'MAILGUN_FROM_EMAIL',
      required: false,
      example: 'hello@mg.example.com',
      description: 'Sender address (default postmaster@<domain>)',
    },
    {
      name: 'MAILGUN_URL',
      required: false,
      example: 'https://api.mailgun.net',
      description: 'API base URL (EU: https://api.eu.mailgun.net)',
    },
  ],
  mountPath: '/api/email/mailgun',
  endpoints: [
    {
      method: 'POST',
      path: '/send',
      description: 'Send an email: `to` (one address or up to 50, each sent a copy of their own), `subject`, `text` and/or `html`',
      input: { body: 'sendBody' },
    },
    {
      method: 'POST',
      path: '/validate',
      description: 'Whether an address is deliverable (Mailgun address validation, a paid feature)',
      input: { body: 'validateBody' },
    },
  ],
  layers: ['email', 'rate-limit'],
});
