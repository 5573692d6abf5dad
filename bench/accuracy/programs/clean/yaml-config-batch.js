// expect: clean
// libs: yaml
// what: A service re-reads a large YAML configuration (about 0.5 MB, 2000 feature flags) every 15 s, parses it with yaml and swaps the live config; requests read the current config. Each reload allocates a lot and frees the previous one.
'use strict';
const http = require('node:http');
const YAML = require('yaml');
const { start, listen, request, drive } = require('../_lib/harness');

start('clean/yaml-config-batch: a ~0.5 MB YAML config parsed every 15 s and swapped in');
function configText(version) {
  const flags = {};
  for (let i = 0; i < 2000; i++) flags[`flag_${i}`] = { enabled: (i + version) % 3 === 0, rollout: (i * 7) % 100, owners: [`team-${i % 13}`], note: `feature ${i} description text` };
  return YAML.stringify({ version, flags });
}
let source = configText(0);
let config = YAML.parse(source);
let version = 0;
setInterval(() => { version++; source = configText(version); config = YAML.parse(source); }, 15_000);
const server = http.createServer((req, res) => {
  const f = config.flags[`flag_${Number(req.url.slice(6)) % 2000}`];
  res.end(JSON.stringify({ version: config.version, enabled: f.enabled }));
});
listen(server).then((port) => {
  drive((i) => request(port, `/flag/${i}`), { concurrency: 4, pauseMs: 15 });
});
