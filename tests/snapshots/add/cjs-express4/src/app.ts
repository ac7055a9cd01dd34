import express from 'express';
import { healthRouter } from './routes/health';
import { providerRoutes } from './providers';

/** Builds the app; index.ts listens. */
export function createApp() {
    const app = express();
    app.use(express.json());
    app.use('/status', healthRouter);
    app.use(providerRoutes());
    return app;
}
