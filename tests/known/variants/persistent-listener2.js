// variant: per-task composite with a shared abort handler; the controllers are dropped
function onAbort() { console.log('aborted'); }
function task() {
  const a = new AbortController(), b = new AbortController();
  const s = AbortSignal.any([a.signal, b.signal]);
  s.addEventListener('abort', onAbort);
  return s.aborted;
}
setInterval(() => { for (let i = 0; i < 20; i++) task(); }, 20);
