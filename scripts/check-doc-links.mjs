#!/usr/bin/env node
/**
 * Checks that every relative link (href, src) in the generated API reference
 * points to a file that exists. Usage: node scripts/check-doc-links.mjs [docs/api]
 * Prints each broken link and exits 1 when there is one.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

const root = resolve(process.argv[2] ?? 'docs/api');
if (!existsSync(join(root, 'index.html'))) {
  console.error(`check-doc-links: ${root}/index.html is missing: run npm run docs first`);
  process.exit(1);
}
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else if (path.endsWith('.html')) files.push(path);
  }
};
walk(root);
let links = 0;
const broken = [];
for (const file of files) {
  const html = readFileSync(file, 'utf8');
  for (const m of html.matchAll(/\b(?:href|src)="([^"]*)"/g)) {
    const target = m[1];
    if (target === '' || target.startsWith('#') || /^[a-z][a-z0-9+.-]*:/i.test(target)) continue;
    links++;
    const path = decodeURIComponent(target.split('#')[0].split('?')[0]);
    if (path === '') continue;
    if (!existsSync(resolve(dirname(file), path))) broken.push(`${file.slice(root.length + 1)}: ${target}`);
  }
}
for (const b of broken) console.error(`broken link: ${b}`);
console.log(`check-doc-links: ${files.length} pages, ${links} relative links, ${broken.length} broken`);
process.exit(broken.length > 0 ? 1 : 0);
