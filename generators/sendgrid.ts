import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'sendgrid',
  name: 'SendGrid',
  category: 'email',
  description: 'Transactional email, dynamic templates and delivery stats through SendGrid',
  docsUrl: 'https://www.twilio.com/docs/sendgrid/api-reference',
  dependencies: { '@sendgrid/mail': '^8.1.6', '@sendgrid/client': '^8.1.6' },
  env: [
    {
      name: 'SENDGRID_API_KEY',
      required: true,
      secret: true,
      description: 'API key with Mail Send access from https://app.sendgrid.com/settings/api_keys',
    },
    { name: 'SENDGRID_FROM_EMAIL', required: true, example: 'hello@example.com', description: 'A verified sender address' },
    {
      name: 'SENDGRID_BASE_URL',
      required: false,
      example: 'https://api.sendgrid.com',
      description: 'API base URL (EU accounts: https://api.eu.sendgrid.com)',
    },
  ],
  mountPath: '/api/email',
  endpoints: [
    {
      method: 'POST',
      path: '/send',
      description: 'Send an email: `to` (one address or up to 50, each sent a copy of their own), `subject`, `text` and/or `html`',
      input: { body: 'sendBody' },
    },
    {
      method: 'POST',
      path: '/send-template',
      description: 'Send with a dynamic template: `to`, `templateId` (d-...), `dynamicTemplateData`',
      input: { body: 'sendTemplateBody' },
    },
    {
      method: 'GET',
      path: '/stats',
      description: 'Per-day delivery totals; `startDate`, `endDate` as YYYY-MM-DD (default the last 7 days)',
      access: 'admin',
      input: { query: 'statsQuery' },
    },
  ],
  layers: ['email', 'rate-limit'],
});
