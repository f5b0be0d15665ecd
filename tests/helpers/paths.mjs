// paths.mjs - where things are, from the repository root.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
// the reference runs the tests compare against (tests/fixtures/reference/README.md)
export const reference = path.join(root, 'tests', 'fixtures', 'reference');
export const makemoreFile = path.join(reference, 'makemore_names.txt');
export const build = path.join(root, 'build');
export const cli = path.join(build, 'microgpt');
export const cliAsan = path.join(build, 'microgpt_asan');
export const dataFile = path.join(root, 'data', 'names.txt');
export const wasmFile = path.join(build, 'web', 'microgpt.wasm');
export const wasmUrl = pathToFileURL(wasmFile);
export const engineUrl = pathToFileURL(path.join(root, 'web', 'src', 'engine.js'));
export const dist = path.join(root, 'web', 'dist');
export const screenshots = path.join(root, 'tests', 'screenshots');
