import { scaleLinear } from 'd3-scale';
import { area, line } from 'd3-shape';

/**
 * Small SVG charts for the validation report, drawn with d3's scales and path generators (no DOM needed):
 * a fan chart, an interval ("forest") plot and a histogram.
 */
const W = 640;
const H = 260;
const M = { top: 20, right: 20, bottom: 40, left: 60 };
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');

function frame(title: string, body: string, xLabel: string, yLabel: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">
<rect width="${W}" height="${H}" fill="white"/>
<text x="${M.left}" y="14" font-size="13" font-weight="bold">${esc(title)}</text>
${body}
<text x="${(M.left + W - M.right) / 2}" y="${H - 6}" text-anchor="middle">${esc(xLabel)}</text>
<text transform="translate(14,${(M.top + H - M.bottom) / 2}) rotate(-90)" text-anchor="middle">${esc(yLabel)}</text>
</svg>\n`;
}

function axes(x: ReturnType<typeof scaleLinear>, y: ReturnType<typeof scaleLinear>): string {
  const xt = x.ticks(8).map((t) => `<line x1="${x(t)}" x2="${x(t)}" y1="${H - M.bottom}" y2="${H - M.bottom + 4}" stroke="#333"/><text x="${x(t)}" y="${H - M.bottom + 16}" text-anchor="middle">${t}</text>`);
  const yt = y.ticks(5).map((t) => `<line x1="${M.left - 4}" x2="${M.left}" y1="${y(t)}" y2="${y(t)}" stroke="#333"/><text x="${M.left - 6}" y="${Number(y(t)) + 4}" text-anchor="end">${t}</text>`);
  return `<line x1="${M.left}" x2="${W - M.right}" y1="${H - M.bottom}" y2="${H - M.bottom}" stroke="#333"/><line x1="${M.left}" x2="${M.left}" y1="${M.top}" y2="${H - M.bottom}" stroke="#333"/>${xt.join('')}${yt.join('')}`;
}

/** Median line and 5–95% band over time. */
export function fanChart(title: string, hours: number[], p05: number[], p50: number[], p95: number[], yLabel: string): string {
  const x = scaleLinear().domain([0, hours[hours.length - 1]!]).range([M.left, W - M.right]);
  const y = scaleLinear().domain([0, Math.max(...p95) * 1.05 || 1]).nice().range([H - M.bottom, M.top]);
  const band = area<number>().x((_, i) => x(hours[i]!)).y0((_, i) => y(p05[i]!)).y1((_, i) => y(p95[i]!))(hours) ?? '';
  const mid = line<number>().x((_, i) => x(hours[i]!)).y((_, i) => y(p50[i]!))(hours) ?? '';
  return frame(title, `${axes(x, y)}<path d="${band}" fill="#c6dbef"/><path d="${mid}" fill="none" stroke="#08519c" stroke-width="2"/>`, 'hours since the first infection', yLabel);
}

/** Each row: the simulated 90% interval and median against the recorded value, on a ratio scale. */
export function intervalPlot(title: string, rows: { label: string; record: number; p05: number; p50: number; p95: number }[]): string {
  const ratio = (v: number, r: number) => (r === 0 ? 0 : v / r);
  const hi = Math.max(2, ...rows.map((r) => ratio(r.p95, r.record))) * 1.05;
  const x = scaleLinear().domain([0, hi]).range([M.left + 150, W - M.right]);
  const rowH = (H - M.top - M.bottom) / rows.length;
  const body = rows
    .map((r, i) => {
      const yy = M.top + rowH * (i + 0.5);
      return `<text x="${M.left + 140}" y="${yy + 4}" text-anchor="end">${esc(r.label)}</text><line x1="${x(ratio(r.p05, r.record))}" x2="${x(ratio(r.p95, r.record))}" y1="${yy}" y2="${yy}" stroke="#08519c" stroke-width="3"/><circle cx="${x(ratio(r.p50, r.record))}" cy="${yy}" r="4" fill="#08519c"/>`;
    })
    .join('');
  const ticks = x.ticks(6).map((t) => `<text x="${x(t)}" y="${H - M.bottom + 16}" text-anchor="middle">${t}</text>`).join('');
  return frame(title, `${body}<line x1="${x(1)}" x2="${x(1)}" y1="${M.top}" y2="${H - M.bottom}" stroke="#cb181d" stroke-dasharray="4 3"/>${ticks}`, 'simulated ÷ recorded (1 = the public record; bar: 90% of runs; dot: median)', '');
}

/** Histogram of accepted draws over the prior's range. */
export function histogram(title: string, values: number[], low: number, high: number, bins = 12): string {
  const x = scaleLinear().domain([low, high]).range([M.left, W - M.right]);
  const counts = new Array<number>(bins).fill(0);
  for (const v of values) counts[Math.min(bins - 1, Math.floor(((v - low) / (high - low)) * bins))]!++;
  const y = scaleLinear().domain([0, Math.max(1, ...counts)]).nice().range([H - M.bottom, M.top]);
  const w = (W - M.left - M.right) / bins;
  const bars = counts.map((c, i) => `<rect x="${M.left + i * w + 1}" y="${y(c)}" width="${w - 2}" height="${H - M.bottom - Number(y(c))}" fill="#6baed6"/>`).join('');
  return frame(title, `${axes(x, y)}${bars}`, 'parameter value (axis spans the prior)', 'accepted draws');
}
