import express from 'express';
import { healthRouter } from './routes/health';
import { providerRoutes } from './providers';

/** Builds the app; index.ts listens. */
export function createApp() {
    const app = express();
    // Provider plugins: ahead of body parsers and catch-alls, as their routes parse their own bodies.
    app.use(providerRoutes());
    app.use(express.json());
    app.use('/status', healthRouter);
    return app;
}
