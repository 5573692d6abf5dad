// variant: a server-wide shutdown signal combined with a per-request timeout
const shutdown = new AbortController();
async function handle(i) {
  const signal = AbortSignal.any([shutdown.signal, AbortSignal.timeout(1000)]);
  await new Promise((r) => setImmediate(r));
  return signal.aborted ? 0 : i;
}
setInterval(() => { for (let i = 0; i < 100; i++) handle(i); }, 20);
