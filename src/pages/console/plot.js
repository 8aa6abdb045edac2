/** Small inline SVG plots: monthly bars (Waldur consumptions) and step lines (a Maple balance over its log). */
import { s } from './dom.js';

const W = 200;
const H = 64;
const PAD = 4;
const COLORS = ['#2f80ed', '#eb5757', '#27ae60', '#9b51e0', '#f2994a'];

/** Bars for `[{date, price}]`, oldest first; each bar's title names its month and price. */
export function barChart(points, label) {
  const svg = s('svg', {
    class: 'plot',
    viewBox: `0 0 ${W} ${H}`,
    width: W,
    height: H,
    role: 'img',
    'aria-label': label,
  });
  if (points.length === 0) {
    svg.append(s('text', { x: W / 2, y: H / 2 + 4, 'text-anchor': 'middle', class: 'empty' }, 'no consumption yet'));
    return svg;
  }
  const max = Math.max(...points.map((p) => Number(p.price)), 0) || 1;
  const slot = (W - 2 * PAD) / points.length;
  points.forEach((p, i) => {
    const height = Math.max(1, ((H - 2 * PAD - 10) * Number(p.price)) / max);
    const bar = s('rect', {
      x: PAD + i * slot + slot * 0.15,
      y: H - PAD - height,
      width: slot * 0.7,
      height,
      class: 'bar',
    });
    bar.append(s('title', {}, `${p.date.slice(0, 7)}: ${p.price}`));
    svg.append(bar);
  });
  const last = points[points.length - 1];
  svg.append(
    s('text', { x: W - PAD, y: 10, 'text-anchor': 'end', class: 'label' }, `${last.date.slice(0, 7)}: ${last.price}`),
  );
  return svg;
}

/**
 * One step line per series (`{name, points: [{t, v}]}`, t in ms), each scaled
 * to its own maximum, over the common time range up to `until`.
 */
export function stepChart(series, until, label) {
  const svg = s('svg', {
    class: 'plot',
    viewBox: `0 0 ${W} ${H}`,
    width: W,
    height: H,
    role: 'img',
    'aria-label': label,
  });
  const all = series.flatMap((x) => x.points);
  if (all.length === 0) {
    svg.append(s('text', { x: W / 2, y: H / 2 + 4, 'text-anchor': 'middle', class: 'empty' }, 'no credit yet'));
    return svg;
  }
  const t0 = Math.min(...all.map((p) => p.t));
  const t1 = Math.max(until, ...all.map((p) => p.t));
  const x = (t) => PAD + ((W - 2 * PAD) * (t - t0)) / (t1 - t0 || 1);
  svg.append(s('line', { x1: PAD, x2: W - PAD, y1: H - PAD, y2: H - PAD, class: 'axis' }));
  series.forEach((line, i) => {
    const max = Math.max(...line.points.map((p) => p.v), 0) || 1;
    const y = (v) => H - PAD - ((H - 2 * PAD - 10) * v) / max;
    // From nothing before the first entry, then one step per entry.
    let d = `M${x(line.points[0].t)},${y(0)}`;
    for (const p of line.points) d += `H${x(p.t)}V${y(p.v)}`;
    d += `H${x(t1)}`;
    const path = s('path', { d, fill: 'none', stroke: COLORS[i % COLORS.length], 'stroke-width': 2 });
    path.append(s('title', {}, line.name));
    svg.append(path);
  });
  return svg;
}
