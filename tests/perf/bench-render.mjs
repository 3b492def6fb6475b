// SPDX-License-Identifier: GPL-3.0-or-later
//
// The template benchmark's mustache.js side: renders DIR/newsletter.mustache
// once for every contact in DIR/contacts.json, with the same partial, and
// prints the seconds spent rendering, then the bytes produced.
//
//   node bench-render.mjs MUSTACHE_MODULE DIR
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const [mustachePath, dir] = process.argv.slice(2);
const Mustache = createRequire(import.meta.url)(mustachePath);

// Herald's filters are not Mustache: the one the template uses becomes the
// equivalent plain section, so that both sides do the same work.
// Escape the characters Herald escapes, so that both produce the same bytes
// (mustache.js alone also escapes / ` and =).
const entities = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
Mustache.escape = (text) => String(text).replace(/[&<>"']/g, (c) => entities[c]);

const source = readFileSync(join(dir, 'newsletter.mustache'), 'utf8')
  .replace('{{first_name | default: "there"}}', '{{#first_name}}{{first_name}}{{/first_name}}{{^first_name}}there{{/first_name}}');
const partials = { footer: readFileSync(join(dir, 'footer.mustache'), 'utf8') };
const contacts = JSON.parse(readFileSync(join(dir, 'contacts.json'), 'utf8'));

const start = process.hrtime.bigint();
let bytes = 0;
for (const contact of contacts)
  bytes += Buffer.byteLength(Mustache.render(source, contact, partials));
const seconds = Number(process.hrtime.bigint() - start) / 1e9;

console.log(seconds.toFixed(3));
console.log(bytes);
