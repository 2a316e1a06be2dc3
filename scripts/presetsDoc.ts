/**
 * Writes docs/presets.md from a preset-harness run: per preset its note, the claim's checks per seed, timings,
 * and the measured curves of every metric its claim names as an SVG (docs/presets/ID-METRIC.svg; one line per
 * variant and seed). d3 computes scales and paths; the SVG text is written here.
 */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { extent, line, scaleLinear } from 'd3';
import type { Curve } from '../src/rl/presets/claims';
import type { Preset } from '../src/rl/presets/catalog';
import type { PresetSeedResult } from '../src/rl/presets/harness';

const WIDTH = 560, HEIGHT = 220, MARGIN = { top: 24, right: 120, bottom: 30, left: 48 };
/** One colour per variant (colour-blind safe Okabe–Ito order); seeds of a variant share it. */
const COLOURS = ['#0072B2', '#D55E00', '#009E73', '#CC79A7', '#E69F00', '#56B4E9'];

interface Series {
  label: string;
  colour: string;
  curve: Curve;
}

function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function plot(title: string, series: Series[]): string {
  const points = series.flatMap((s) => s.curve);
  const [x0, x1] = extent(points, (p) => p.iteration) as [number, number];
  const [y0, y1] = extent(points, (p) => p.value) as [number, number];
  const pad = (y1 - y0) * 0.05 || 0.05;
  const x = scaleLinear().domain([x0, x1]).range([MARGIN.left, WIDTH - MARGIN.right]);
  const y = scaleLinear().domain([y0 - pad, y1 + pad]).nice().range([HEIGHT - MARGIN.bottom, MARGIN.top]);
  const path = line<Curve[number]>().x((p) => x(p.iteration)).y((p) => y(p.value));
  const xTicks = x.ticks(6).map((t) => `<text x="${x(t)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle">${t}</text>`);
  const yTicks = y.ticks(4).map((t) => `<text x="${MARGIN.left - 6}" y="${y(t) + 4}" text-anchor="end">${t}</text><line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(t)}" y2="${y(t)}" stroke="#ddd"/>`);
  const labels = [...new Map(series.map((s) => [s.label.replace(/ seed \d+$/, ''), s.colour]))];
  const legend = labels.map(([label, colour], i) => `<text x="${WIDTH - MARGIN.right + 8}" y="${MARGIN.top + 14 * i + 4}" fill="${colour}">${esc(label)}</text>`);
  const lines = series.map((s) => `<path d="${path(s.curve)}" fill="none" stroke="${s.colour}" stroke-width="1.5" opacity="0.85"><title>${esc(s.label)}</title></path>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="11">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${MARGIN.left}" y="14" font-weight="bold">${esc(title)}</text>`,
    ...yTicks,
    ...xTicks,
    `<text x="${(MARGIN.left + WIDTH - MARGIN.right) / 2}" y="${HEIGHT - 2}" text-anchor="middle">iteration</text>`,
    ...lines,
    ...legend,
    '</svg>',
  ].join('\n');
}

const fmt = (x: number) => (Math.abs(x) >= 100 ? x.toFixed(0) : x.toFixed(3));

export async function writePresetDocs(presets: Preset[], results: PresetSeedResult[], backend: string): Promise<void> {
  // Plots of presets that no longer exist, or of metrics a claim no longer names, must not linger.
  await rm('docs/presets', { recursive: true, force: true });
  await mkdir('docs/presets', { recursive: true });
  const out: string[] = [
    '# Presets, measured',
    '',
    `Written by \`npm run presets -- --docs --seeds ${[...new Set(results.map((r) => r.seed))].join(',')} --backend ${backend}\` on ${new Date().toISOString().slice(0, 10)}. ` +
      'Each preset runs headless with its exact config (and every variant its claim compares against); its claim is a list of checks over the logged curves. ' +
      'Start and end values average the first and last points of a curve (one point for held-out evaluations, a quarter of the iterations for training metrics). ' +
      'Iteration 0 is the evaluation right after the warm-start.',
    '',
  ];
  for (const preset of presets) {
    const mine = results.filter((r) => r.preset === preset.id);
    if (!mine.length) continue;
    const seeds = mine.map((r) => r.seed);
    out.push(`## ${preset.title} (\`${preset.id}\`)`, '', `> ${preset.watch}`, '');
    out.push(`Claim holds on ${mine.filter((r) => r.pass).length} of ${mine.length} seeds.`, '');
    out.push('| seed | check | start / A | end / B | Δ | holds |', '|---|---|---|---|---|---|');
    for (const r of mine) for (const c of r.checks) out.push(`| ${r.seed} | ${c.text} | ${fmt(c.a)} | ${fmt(c.b)} | ${fmt(c.delta)} | ${c.pass ? 'yes' : '**no**'} |`);
    const timing = mine.map((r) => r.runs.main.timing);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    out.push('', `Wall time on \`${backend}\` (main config, mean over seeds): warm-start ${mean(timing.map((t) => t.warmStartSeconds)).toFixed(1)} s, ` +
      `${mean(timing.map((t) => t.secondsPerIteration)).toFixed(2)} s per GRPO iteration, ${mean(timing.map((t) => t.totalSeconds)).toFixed(0)} s in all.`, '');
    const metrics = [...new Set([...preset.claim.map((c) => c.metric), ...(preset.plots ?? [])])];
    for (const metric of metrics) {
      const variants = Object.keys(mine[0].runs);
      const series: Series[] = variants.flatMap((variant, vi) =>
        mine.map((r) => ({ label: `${variant} seed ${r.seed}`, colour: COLOURS[vi % COLOURS.length], curve: r.runs[variant].curves[metric] ?? [] })),
      ).filter((s) => s.curve.length);
      if (!series.length) continue;
      const file = `presets/${preset.id}-${metric.replace(/[^a-z0-9]+/gi, '_')}.svg`;
      await writeFile(`docs/${file}`, plot(`${preset.title}: ${metric} (seeds ${seeds.join(', ')})`, series));
      out.push(`![${metric}](${file})`, '');
    }
  }
  await writeFile('docs/presets.md', out.join('\n'));
}
