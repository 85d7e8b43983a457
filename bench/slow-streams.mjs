// Opens N streamed chats at once and reads each slowly (READ bytes every TICK ms), while sampling the
// server's resident memory from /proc: what a gateway holds for clients slower than their provider.
// Prints "completed=<streams that ended with [DONE]> failed=<others> idle_kib=<RSS before>
// peak_kib=<highest RSS while they ran> seconds=<wall time>".
//
// Usage: node slow-streams.mjs PORT PATH BODY PID [N=1000] [READ=4096] [TICK=50]   (KEY in the environment)
import net from 'node:net';
import fs from 'node:fs';

const [port, path, body, pid, n = '1000', read = '4096', tick = '50'] = process.argv.slice(2);
const rss = () => Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))[1]);
const idle = rss();
let peak = idle;
const sampler = setInterval(() => { peak = Math.max(peak, rss()); }, 100);
const request = `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nAccept: text/event-stream\r\n`
  + (process.env.KEY ? `X-API-Key: ${process.env.KEY}\r\n` : '')
  + `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;

function stream() {
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => socket.write(request));
    socket.pause();
    let tail = '';
    const timer = setInterval(() => {
      // Reads at most READ bytes per tick; the rest waits in the kernel and, behind it, in the server.
      const size = Math.min(Number(read), socket.readableLength);
      const chunk = size > 0 ? socket.read(size) : socket.read(0);
      if (chunk) { tail = (tail + chunk.toString('latin1')).slice(-64); }
    }, Number(tick));
    socket.on('close', () => {
      clearInterval(timer);
      for (let c = socket.read(); c; c = socket.read()) { tail = (tail + c.toString('latin1')).slice(-64); }
      resolve(tail.includes('[DONE]'));
    });
    socket.on('error', () => {});
  });
}

const started = Date.now();
const results = await Promise.all(Array.from({ length: Number(n) }, stream));
clearInterval(sampler);
const completed = results.filter(Boolean).length;
console.log(`completed=${completed} failed=${results.length - completed} idle_kib=${idle} peak_kib=${peak} seconds=${((Date.now() - started) / 1000).toFixed(1)}`);
