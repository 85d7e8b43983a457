// Express 5 + express-rate-limit 8 with the same contract as the service's hot path: a key from
// X-API-Key or Bearer compared in constant time, a per-client fixed window, the same JSON reply.
import { createHash, timingSafeEqual } from 'node:crypto';
import express from 'express';
import { rateLimit } from 'express-rate-limit';

const key = process.env.NEXTELEVEN_API_KEY;
const keyHash = createHash('sha256').update(key).digest();
const port = Number(process.env.PORT ?? 5104);
const app = express();

function presentedKey(req) {
  const header = req.get('x-api-key')?.trim();
  if (header) return header;
  const auth = req.get('authorization')?.trim() ?? '';
  return /^bearer\s+/i.test(auth) ? auth.replace(/^bearer\s+/i, '').trim() : '';
}

app.use(rateLimit({
  windowMs: 60 * 60 * 1000,
  limit: Number(process.env.PERMIT_LIMIT ?? 2_000_000_000),
  standardHeaders: 'draft-8',
  legacyHeaders: true,
  keyGenerator: (req) => req.ip,
}));
app.use((req, res, next) => {
  const presented = presentedKey(req);
  if (!presented) return res.status(401).json({ error: 'Authentication required', message: 'Provide API key via X-API-Key header or Authorization: Bearer token' });
  const ok = timingSafeEqual(createHash('sha256').update(presented).digest(), keyHash);
  if (!ok) return res.status(401).json({ error: 'Invalid API key', message: 'The provided API key is invalid' });
  next();
});
app.use(express.json({ limit: '1mb' }));
app.post('/api/chat', (req, res) => {
  const message = req.body?.message;
  if (typeof message !== 'string' || !message.trim()) return res.status(400).json({ error: 'Invalid request', message: "Field 'message' is required" });
  const reply = '[NextEleven offline responder: no LLM provider is configured] You said: ' + message;
  res.json({ reply, model: 'nexteleven-offline-echo', provider: 'echo', finishReason: 'stop', usage: { inputTokens: 2, outputTokens: 20, totalTokens: 22 }, requestId: String(Date.now()) });
});

app.listen(port, '127.0.0.1');
