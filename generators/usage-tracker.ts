import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'usage-tracker',
  name: 'Usage tracker',
  category: 'core',
  description: 'Records tokens, audio, cost and latency of every AI and voice call; totals by provider and day',
  docsUrl: 'https://openai.com/api/pricing/',
  env: [],
  mountPath: '/api/usage',
  endpoints: [{ method: 'GET', path: '/api/usage', description: 'Totals by provider and day (`from`, `to`, `provider` filters)' }],
  layers: ['database'],
});
