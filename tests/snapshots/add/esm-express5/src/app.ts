import cors from 'cors';
import express from 'express';
import { greet } from './greet.js';
import { providerRoutes } from './providers/index.js';

export const app = express();

app.use(cors());
// Provider plugins: ahead of body parsers and catch-alls, as their routes parse their own bodies.
app.use(providerRoutes());
app.use(express.json()); // bodies up to 100kb

app.get('/', (_req, res) => {
  res.json({ message: greet('world') });
});
