import { definePlugin } from './define-plugin.js';

export default definePlugin({
  id: 'usage-tracker',
  name: 'Usage tracker',
  category: 'core',
  description: 'Records tokens, audio, estimated cost and latency of every AI and voice call, and who made it; totals by provider and day',
  docsUrl: 'https://openai.com/api/pricing/',
  env: [],
  mountPath: '/api/usage',
  endpoints: [
    {
      method: 'GET',
      path: '',
      description:
        "Totals by provider and by day with estimated cost: the caller's own calls, or everyone's for an admin (`user` picks one); `from`, `to` (YYYY-MM-DD, default the last 30 days), `provider`",
      input: { query: 'usageQuery' },
    },
  ],
  layers: ['database'],
});
