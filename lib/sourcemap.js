'use strict';
// Positions in the source a person wrote, for positions V8 reports in code
// that a transform made: Jest's babel-jest, Vitest (Vite), TypeScript
// loaders run generated code whose lines differ from the file's, and say
// where the source is through a source map (`//# sourceMappingURL=`,
// mostly inline as a data: URL).
//
// scriptMaps() asks this process's inspector (Debugger.enable: V8 reports
// every live script with its sourceMapURL, at once, in this thread) and
// returns a lookup (script, line, column) -> { script, line, column } or
// null, all 1-based, the script as V8 names it (a path or a URL). A script
// with no source map, a map that cannot be read, or a position the map
// does not cover gives null: the position is then V8's as it is.
const fs = require('fs');
const { SourceMap } = require('module');
const { fileURLToPath, pathToFileURL } = require('url');

// A file:// URL as a path; anything else as it is.
function asPath(s) {
  if (typeof s !== 'string' || !s.startsWith('file://')) return s;
  try {
    return fileURLToPath(s);
  } catch {
    return s;
  }
}

// A base URL for resolving a map's sources: file URLs for paths.
function asUrl(s) {
  if (/^[a-z][a-z0-9+.-]*:/i.test(s)) return s;
  return s.startsWith('/') ? pathToFileURL(s).href : null;
}

// A parsed map (a plain one or an index map of sections) as a function of
// a 0-based generated (line, column).
function compile(map, base) {
  if (Array.isArray(map.sections)) {
    const parts = map.sections
      .map((s) => ({ line: s.offset.line, column: s.offset.column, at: s.map ? compile(s.map, base) : null }))
      .sort((a, b) => a.line - b.line || a.column - b.column);
    return (l, c) => {
      let p = null;
      for (const s of parts) if (s.line < l || (s.line === l && s.column <= c)) p = s;
      if (!p || !p.at) return null;
      return p.at(l - p.line, l === p.line ? c - p.column : c);
    };
  }
  if (typeof map.mappings !== 'string' || !Array.isArray(map.sources)) return null;
  // the mappings decoded by Node's own SourceMap (node:module); the
  // sources resolved here, as it leaves sourceRoot and the map's URL out
  const sm = new SourceMap(map);
  const root = typeof map.sourceRoot === 'string' && map.sourceRoot ? map.sourceRoot.replace(/\/?$/, '/') : '';
  const resolved = new Map();
  const source = (s) => {
    if (!resolved.has(s)) {
      let p = null;
      try {
        p = asPath(new URL(root + s, base).href);
      } catch { /* not a URL we can resolve */ }
      resolved.set(s, p);
    }
    return resolved.get(s);
  };
  return (l, c) => {
    // the last segment at or before (l, c); one on an earlier line maps
    // nothing of this one
    const e = sm.findEntry(l, c);
    if (!e || e.generatedLine !== l || typeof e.originalSource !== 'string') return null;
    const script = source(e.originalSource);
    return script ? { script, line: e.originalLine + 1, column: e.originalColumn + 1 } : null;
  };
}

// The map a script names: inline (data:) or a file beside it.
function loadMap(sourceMapURL, scriptUrl) {
  if (sourceMapURL.startsWith('data:')) {
    const comma = sourceMapURL.indexOf(',');
    if (comma < 0) return null;
    const head = sourceMapURL.slice(5, comma), body = sourceMapURL.slice(comma + 1);
    const text = /;base64$/i.test(head) ? Buffer.from(body, 'base64').toString('utf8') : decodeURIComponent(body);
    return { map: JSON.parse(text), base: scriptUrl };
  }
  const url = new URL(sourceMapURL, scriptUrl);
  if (url.protocol !== 'file:') return null; // no fetching from here
  return { map: JSON.parse(fs.readFileSync(url, 'utf8')), base: url.href };
}

// The lookup for the scripts named in `wanted` (V8's script names), or
// null when none of them has a source map or the inspector is missing.
function scriptMaps(wanted) {
  let inspector;
  try {
    inspector = require('inspector');
  } catch {
    return null;
  }
  const want = new Set([...wanted].map(asPath));
  const named = new Map(); // script as a path or URL -> its latest source map URL and own URL
  const session = new inspector.Session();
  try {
    session.connect();
    session.on('Debugger.scriptParsed', ({ params }) => {
      const key = asPath(params.url);
      if (params.sourceMapURL && want.has(key)) named.set(key, { sourceMapURL: params.sourceMapURL, url: params.url });
    });
    session.post('Debugger.enable'); // answers at once: every live script
    session.post('Debugger.disable');
  } catch {
    return null;
  } finally {
    try { session.disconnect(); } catch { /* already gone */ }
  }
  if (!named.size) return null;
  const compiled = new Map();
  return (script, line, column) => {
    const key = asPath(script);
    const entry = named.get(key);
    if (!entry || !line) return null;
    if (!compiled.has(key)) {
      let at = null;
      try {
        const base = asUrl(entry.url);
        const m = base && loadMap(entry.sourceMapURL, base);
        at = m ? compile(m.map, m.base) : null;
      } catch {
        at = null; // unreadable or malformed: V8's positions stay
      }
      compiled.set(key, at);
    }
    const at = compiled.get(key);
    return at ? at(line - 1, column ? column - 1 : 0) : null;
  };
}

module.exports = { scriptMaps, asPath };
