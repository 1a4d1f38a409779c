import { scaleLinear } from 'd3-scale';
import { number, unitLabel } from '../format.js';
import { outcomeLabel } from './outcomes.js';
import { analysisHeader, outcomeUnit, partitioned, unresolved, type Analysis } from './report.js';

/**
 * A tornado chart of a sensitivity analysis as standalone SVG: one panel per ranked outcome, parameters
 * most influential first, each bar μ* divided by the outcome's largest μ* (so panels in different units
 * compare), a tick at σ on the same scale. Bars within Monte Carlo noise are pale. d3 gives the scales only;
 * the SVG is written as text, so no DOM is needed.
 */
const PANEL_WIDTH = 470;
const LABEL_WIDTH = 250;
const ROW = 15;
const COLUMNS = 2;
const GAP = 20;
/** σ can exceed μ*: the axis runs to at most this multiple of the largest μ*, and longer ticks are clipped. */
const MAX_RATIO = 2;

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function tornadoSvg(analysis: Analysis): string {
  const panels = analysis.outcomes.flatMap((o) => (o.ranked ? [{ outcome: o, ...partitioned(analysis.parameters, o.indices, o.occurrence) }] : []));
  const panelHeight = (rows: number, none: number) => 36 + rows * ROW + 24 + (none > 0 ? 14 : 0);
  // Panels side by side share a height: the taller one's.
  const rowHeights = Array.from({ length: Math.ceil(panels.length / COLUMNS) }, (_, row) => Math.max(...panels.slice(row * COLUMNS, (row + 1) * COLUMNS).map((p) => panelHeight(p.moved.length, p.none.length))));
  const header = analysisHeader(analysis.info).split('\n');
  const top = 16 + header.length * 16;
  const width = COLUMNS * PANEL_WIDTH + (COLUMNS - 1) * GAP + 20;
  const height = top + rowHeights.reduce((sum, h) => sum + h + GAP, 0) + 30;
  const body = panels.map(({ outcome, moved: order, none }, n) => {
    const x0 = 10 + (n % COLUMNS) * (PANEL_WIDTH + GAP);
    const y0 = top + rowHeights.slice(0, Math.floor(n / COLUMNS)).reduce((sum, h) => sum + h + GAP, 0);
    const rows = order.length;
    const largest = Math.max(...order.map((r) => r.index.muStar).filter(Number.isFinite));
    const scale = largest > 0 ? largest : 1;
    const ratioMax = Math.min(MAX_RATIO, Math.max(1, ...order.map((r) => r.index.sigma / scale).filter(Number.isFinite)));
    const x = scaleLinear().domain([0, ratioMax]).range([x0 + LABEL_WIDTH, x0 + PANEL_WIDTH - 10]);
    const unit = outcomeUnit(outcome);
    const factor = unit ? 1 / unit.divisor : 1;
    const parts = [
      `<text x="${x0}" y="${y0 + 14}" font-weight="bold">${esc(unitLabel(outcomeLabel(outcome.metric), unit))}</text>`,
      `<text x="${x0}" y="${y0 + 28}" fill="#555">largest μ* ${esc(number(largest * factor))}${unit ? ` ${unit.unit}` : ''} (= 1 on the axis)</text>`,
    ];
    order.forEach(({ parameter, index }, i) => {
      const y = y0 + 36 + i * ROW;
      const bar = Number.isFinite(index.muStar) ? Math.max(0, x(index.muStar / scale) - x(0)) : 0;
      parts.push(`<text x="${x0 + LABEL_WIDTH - 6}" y="${y + 11}" text-anchor="end">${esc(parameter.path.replace(/^scenario\./, ''))}</text>`);
      parts.push(`<rect x="${x(0)}" y="${y + 2}" width="${bar.toFixed(1)}" height="${ROW - 4}" fill="${unresolved(index) ? '#c6dbef' : '#3182bd'}"/>`);
      if (index.sigma > 0) {
        const s = x(Math.min(ratioMax, index.sigma / scale));
        parts.push(`<line x1="${s.toFixed(1)}" x2="${s.toFixed(1)}" y1="${y + 1}" y2="${y + ROW - 1}" stroke="#000" stroke-width="1.5"${index.sigma / scale > ratioMax ? ' stroke-dasharray="2 1"' : ''}/>`);
      }
    });
    const axisY = y0 + 36 + rows * ROW + 2;
    parts.push(`<line x1="${x(0)}" x2="${x(ratioMax)}" y1="${axisY}" y2="${axisY}" stroke="#333"/>`);
    for (const t of x.ticks(4)) parts.push(`<line x1="${x(t)}" x2="${x(t)}" y1="${axisY}" y2="${axisY + 4}" stroke="#333"/><text x="${x(t)}" y="${axisY + 15}" text-anchor="middle">${t}</text>`);
    if (none.length > 0) parts.push(`<text x="${x0}" y="${axisY + 32}" fill="#555">${none.length} more with no effect in any run</text>`);
    return parts.join('\n');
  });
  const legend = 'bar: μ* ÷ the outcome’s largest μ* · tick: σ on the same scale (dashed: off the axis) · pale bar: μ* under 2 Monte Carlo standard errors · paths without "scenario."';
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">
<rect width="${width}" height="${height}" fill="white"/>
${header.map((line, i) => `<text x="10" y="${18 + i * 16}"${i === 0 ? ' font-size="13" font-weight="bold"' : ''}>${esc(line)}</text>`).join('\n')}
${body.join('\n')}
<text x="10" y="${height - 10}" fill="#555">${esc(legend)}</text>
</svg>
`;
}
