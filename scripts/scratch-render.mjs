// TEMPORARY dev aid until the engine lands: node scripts/scratch-render.mjs <outDir> <pluginId...>
import Handlebars from 'handlebars';
import fs from 'node:fs';
import path from 'node:path';
const [out, ...ids] = process.argv.slice(2);
const camel = (id) => id.replace(/-(\w)/g, (_, c) => c.toUpperCase());
const defs = { openai: { category: 'ai', layers: ['ai'] }, s3: { category: 'storage', layers: ['storage'] }, 'jwt-service': { category: 'auth' } };
const plugins = ids.map((id) => ({ id, ...defs[id], exportName: camel(id) + 'Plugin' }));
const ctx = { name: 'scratch', plugins, has: Object.fromEntries(ids.map((id) => [camel(id), true])) };
function renderDir(dir) {
  if (!fs.existsSync(dir)) return;
  for (const f of fs.readdirSync(dir, { recursive: true })) {
    const src = path.join(dir, f);
    if (fs.statSync(src).isDirectory()) continue;
    const rel = f.replace(/\.hbs$/, '').replace(/(^|\/)_/, '$1.');
    const dest = path.join(out, rel);
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, Handlebars.compile(fs.readFileSync(src, 'utf8'), { noEscape: true })(ctx));
  }
}
renderDir('templates/base');
for (const p of plugins) { for (const l of p.layers ?? []) renderDir('templates/layers/' + l); renderDir('templates/' + p.id); }
const pkg = { name: 'scratch', private: true, type: 'module', scripts: { test: 'vitest run', typecheck: 'tsc --noEmit' },
  dependencies: { express: '^5.1.0', zod: '^4.1.0', openai: '^6.49.0', '@aws-sdk/client-s3': '^3.1000.0', '@aws-sdk/s3-request-presigner': '^3.1000.0', multer: '^2.0.2', jsonwebtoken: '^9.0.2' },
  devDependencies: { '@types/express': '^5.0.6', '@types/node': '^20.19.0', '@types/multer': '^2.0.0', '@types/jsonwebtoken': '^9.0.10', typescript: '~5.9.3', vitest: '^4.1.0', tsx: '^4.20.0' } };
if (!fs.existsSync(path.join(out, 'package.json'))) fs.writeFileSync(path.join(out, 'package.json'), JSON.stringify(pkg, null, 2));
