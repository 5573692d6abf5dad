// variant: composite of short-lived controllers with an abort listener, all dropped
class Job { constructor() { this.a = new AbortController(); this.b = new AbortController();
  this.signal = AbortSignal.any([this.a.signal, this.b.signal]);
  this.signal.addEventListener('abort', () => this.cancel()); }
  cancel() { this.cancelled = true; } }
setInterval(() => { for (let i = 0; i < 20; i++) new Job(); }, 20);
