// Summarises cargo's `--timings` reports (scripts/build-budget): for each report, the build's wall
// time and the crates that took longest, so a reader sees where a from-scratch build goes.
//
//   node scripts/lib/cargo-timings.mjs DIR_OR_HTML... [--top N]
//
// A directory stands for every `cargo-timing-*.html` report in it (cargo writes one per build and
// overwrites `cargo-timing.html`, e.g. with the Wasm builder's second, metadata-hash build).
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isMain } from './cli.mjs';

/** The units (crate × target × mode) of one cargo timing report, as cargo recorded them. */
export function readTimingUnits(html) {
  const match = html.match(/const UNIT_DATA = (\[.*?\]);\s*\n/s);
  if (!match) throw new Error('no UNIT_DATA in this cargo timing report (cargo changed its format?)');
  return JSON.parse(match[1]);
}

/** Wall time of a report (its last unit's end) and its `top` slowest units. */
export function summariseTimings(units, top = 12) {
  const wall = units.reduce((end, unit) => Math.max(end, unit.start + unit.duration), 0);
  const slowest = [...units]
    .sort((a, b) => b.duration - a.duration)
    .slice(0, top)
    .map((unit) => ({
      name: `${unit.name} ${unit.version}${unit.mode && unit.mode !== 'todo' ? ` (${unit.mode})` : ''}${unit.target?.trim() ? ` ${unit.target.trim()}` : ''}`,
      seconds: unit.duration,
    }));
  return { wall, units: units.length, slowest };
}

function reportsIn(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .filter((name) => /^cargo-timing-.+\.html$/.test(name))
    .sort()
    .map((name) => join(path, name));
}

function main(argv) {
  let top = 12;
  const paths = [];
  for (let i = 0; i < argv.length; i += 1) {
    if (argv[i] === '--top') top = Number(argv[(i += 1)]);
    else paths.push(argv[i]);
  }
  if (!paths.length || !Number.isInteger(top) || top < 1) {
    console.error('usage: cargo-timings.mjs DIR_OR_HTML... [--top N]');
    return 2;
  }
  for (const path of paths) {
    const reports = reportsIn(path);
    if (!reports.length) console.log(`\n${path}: no cargo timing report`);
    for (const report of reports) {
      const { wall, units, slowest } = summariseTimings(readTimingUnits(readFileSync(report, 'utf8')), top);
      console.log(`\n${report}: ${units} units, ${(wall / 60).toFixed(1)} min wall`);
      for (const unit of slowest) console.log(`  ${unit.seconds.toFixed(1).padStart(7)} s  ${unit.name}`);
    }
  }
  return 0;
}

if (isMain(import.meta.url)) process.exitCode = main(process.argv.slice(2));
