// variant: a timer used as an object key via a template string, deleted from our own map
const pending = {};
setInterval(() => {
  for (let i = 0; i < 50; i++) {
    const t = setTimeout(() => { delete pending[key]; }, 5);
    const key = `${t}`;
    pending[key] = Date.now();
  }
}, 20);
