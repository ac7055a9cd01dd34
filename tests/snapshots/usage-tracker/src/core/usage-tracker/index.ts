import { getDatabase, probeOnceOpen } from '../../database/database.js';
import { routerOnFirstUse } from '../../lib/lazy-router.js';
import { definePlugin } from '../../lib/plugin.js';
import { costEstimators, usageRecorders } from '../../lib/usage.js';
import { estimateCost } from './usage-tracker.prices.js';
import { usageTrackerEnv } from './usage-tracker.schema.js';
import { createUsageTracker } from './usage-tracker.service.js';

/**
 * Stores every call the AI and voice plugins report, with its estimated cost and its caller, in the
 * app's database; `GET /api/usage` sums them by provider and day, for the caller or, to an admin,
 * for everyone. Needs no settings.
 */
export const usageTrackerPlugin = definePlugin({
  id: 'usage-tracker',
  name: 'Usage tracker',
  mountPath: '/api/usage',
  routes: [
    {
      method: 'GET',
      path: '/api/usage',
      access: 'user',
      summary:
        "Totals by provider and by day with estimated cost: the caller's own calls, or everyone's for an admin (`user` picks one); `from`, `to` (YYYY-MM-DD, default the last 30 days), `provider`",
      input: { query: 'usageQuery' },
    },
  ],
  demo: { widget: 'usage' },
  env: usageTrackerEnv,
  schemas: () => import('./usage-tracker.schema.js'),
  setup(config, { services }) {
    const database = getDatabase(services, config);
    const tracker = createUsageTracker(database);
    services.provide(usageRecorders, tracker);
    services.provide(costEstimators, estimateCost);
    return {
      router: routerOnFirstUse(async () => (await import('./usage-tracker.routes.js')).createUsageTrackerRouter(tracker)),
      // Only a PostgreSQL server can go down once open; /health reports the embedded database's state.
      // One round trip to the database the usage is stored in.
      probe: config.DATABASE_URL ? probeOnceOpen(database, () => tracker.ping()) : undefined,
    };
  },
});
