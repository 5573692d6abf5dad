// Leak with a secret in it: every simulated request keeps an access token
// (a string) in a module-level array that is never emptied. The tokens are
// the planted "secret" of the HTML privacy test: the report must not show
// them unless asked (--html-strings). The secret comes from env
// LS_SECRET so the test knows what to look for.
'use strict';
const { runSeries } = require('../../trend/programs/_series.js');

const SECRET = process.env.LS_SECRET || 'LEAKSCOPE-SECRET';
const PER_STEP = Number(process.env.LS_PER_STEP || 4000);

const issuedTokens = [];
let n = 0;
runSeries(() => {
  for (let i = 0; i < PER_STEP; i++, n++) {
    // a flat string (not a concatenation), as a token read from a request
    issuedTokens.push(`${SECRET}-${n.toString(36).padStart(8, '0')}`.split('').join(''));
  }
  return { tokens: issuedTokens.length };
});
