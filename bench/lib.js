// What every benchmark script shares: its command-line options and a seeded PRNG (the
// simulator's mulberry32, so a seed gives the same corpus or fleet on every run).
import process from 'node:process';
import { seededRandom } from '../dist/sim/random.js';

const args = process.argv.slice(2);

/** `--name N` as a number, else `fallback`. */
export const numberArg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};

/** `--name TEXT`, else `fallback`. */
export const textArg = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};

/** Whether `--name` is given. */
export const flag = (name) => args.includes(name);

/** Uniform numbers in [0, 1) from `seed`. */
export const prng = (seed) => seededRandom(seed).next;
