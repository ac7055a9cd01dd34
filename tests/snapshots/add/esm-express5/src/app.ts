import cors from 'cors';
import express from 'express';
import { greet } from './greet.js';
import { providerRoutes } from './providers/index.js';

export const app = express();

app.use(cors());
app.use(express.json()); // bodies up to 100kb
app.use(providerRoutes());

app.get('/', (_req, res) => {
  res.json({ message: greet('world') });
});
