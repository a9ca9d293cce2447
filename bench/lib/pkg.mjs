// Locates installed npm packages in bench/node_modules (some packages'
// "exports" hide package.json and their dist files from require.resolve).
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const modules = join(dirname(fileURLToPath(import.meta.url)), '..', 'node_modules');

export const pkgDir = (name) => join(modules, name);

export const pkgVersion = (name) => JSON.parse(readFileSync(join(modules, name, 'package.json'), 'utf8')).version;
