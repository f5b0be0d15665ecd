// engine.mjs - the wasm engine for the tests, loaded once per test file.
import { readFileSync } from 'node:fs';
import { dataFile, wasmUrl, engineUrl } from './paths.mjs';

export const names = readFileSync(dataFile, 'utf8');
export const engineModule = await import(engineUrl);
export const engine = await engineModule.loadEngine(wasmUrl);
